"""sign-in attempts know their kind: a reset request is no password guess

Revision ID: 2dfd3e260c20
Revises: e9848ec48b87
Create Date: 2026-12-04 13:33:20.234948

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2dfd3e260c20'
down_revision = 'e9848ec48b87'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('sign_in_attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=20), server_default='sign_in', nullable=False))
        batch_op.create_check_constraint(op.f('ck_sign_in_attempts_kind'), "kind IN ('sign_in', 'password_reset')")


def downgrade():
    with op.batch_alter_table('sign_in_attempts', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_sign_in_attempts_kind'), type_='check')
        batch_op.drop_column('kind')
