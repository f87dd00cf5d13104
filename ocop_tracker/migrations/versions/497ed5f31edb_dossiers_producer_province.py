"""dossiers: the producer's province stored on each dossier, an index led by it and one for a unit's list

"In the user's province" joined every waiting dossier to its product, organisation and unit (the queue's tab counts
and its "awaiting me" list at 100,000 dossiers: ~9,000 and ~35,000 pages). The province is now a column, kept right
at every flush by dossiers/producer_province.py and filled here for the existing rows; the index
(producer_province_id, state) carries what the tabs and the list read, so a province's waiting files are one range
of it. (review_unit_id, updated_at, id) lists a commune's dossiers newest first off that unit's range, a page at a
time (issue 13). SQLite ignores the INCLUDE parts.

Revision ID: 497ed5f31edb
Revises: 5d1c3a7e9b20
Create Date: 2026-12-06 05:20:00

"""
import sqlalchemy as sa
from alembic import op

revision = '497ed5f31edb'
down_revision = '5d1c3a7e9b20'
branch_labels = None
depends_on = None

# The same as producer_province.province_of_producer, written out: a migration does not follow later code.
BACKFILL = """
UPDATE dossiers SET producer_province_id = (
    SELECT province.id FROM products
    JOIN organisations ON products.organisation_id = organisations.id
    JOIN administrative_units AS producer_unit ON organisations.unit_id = producer_unit.id
    JOIN administrative_units AS province ON producer_unit.path LIKE province.path || '%'
    WHERE products.id = dossiers.product_id AND province.level = 'province'
    LIMIT 1)
"""


def upgrade():
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('producer_province_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_dossiers_producer_province_id_administrative_units'),
                                    'administrative_units', ['producer_province_id'], ['id'])
    op.execute(BACKFILL)
    op.create_index('ix_dossiers_producer_province_id_state', 'dossiers', ['producer_province_id', 'state'],
                    postgresql_include=['id', 'review_unit_id', 'level', 'assignee_id', 'updated_at'])
    op.create_index('ix_dossiers_review_unit_id_updated_at_id', 'dossiers', ['review_unit_id', 'updated_at', 'id'],
                    postgresql_include=['state', 'level', 'assignee_id'])


def downgrade():
    op.drop_index('ix_dossiers_review_unit_id_updated_at_id', table_name='dossiers')
    op.drop_index('ix_dossiers_producer_province_id_state', table_name='dossiers')
    with op.batch_alter_table('dossiers', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_dossiers_producer_province_id_administrative_units'),
                                 type_='foreignkey')
        batch_op.drop_column('producer_province_id')
