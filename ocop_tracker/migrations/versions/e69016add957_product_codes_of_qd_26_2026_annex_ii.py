"""registry: each product's number (STT) in its commune's list, for the product codes of QĐ 26/2026 Phụ lục II

Certificates issued before keep their codes: nothing is numbered here, the first new certificate numbers.

Revision ID: e69016add957
Revises: 4104b6271379
Create Date: 2026-12-05 16:14:05

"""
import sqlalchemy as sa
from alembic import op

revision = 'e69016add957'
down_revision = '4104b6271379'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'product_numbers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.CheckConstraint('number >= 1', name=op.f('ck_product_numbers_number')),
        sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_product_numbers_product_id_products')),
        sa.ForeignKeyConstraint(['unit_id'], ['administrative_units.id'],
                                name=op.f('fk_product_numbers_unit_id_administrative_units')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_product_numbers')),
        sa.UniqueConstraint('product_id', 'unit_id', name=op.f('uq_product_numbers_product_id')),
        sa.UniqueConstraint('unit_id', 'number', name=op.f('uq_product_numbers_unit_id')),
    )


def downgrade():
    op.drop_table('product_numbers')
