"""organisations, products: their foreign-key indexes carry the id, for "in the user's province" index-only

The queue's tab counts keep the dossiers whose producer lies in the user's province: PostgreSQL builds the set of the
province's products from its units, their organisations and those organisations' products. At 100,000 dossiers it
read the whole organisations table (40,000 rows) for that; with the id in these indexes it reads the province's
ranges of both indexes alone (issue 13). Same names and keys; SQLite ignores the INCLUDE part.

Revision ID: 5d1c3a7e9b20
Revises: 09b4b90debd4
Create Date: 2026-12-06 03:52:00

"""
from alembic import op

revision = '5d1c3a7e9b20'
down_revision = '09b4b90debd4'
branch_labels = None
depends_on = None

INDEXES = (("ix_organisations_unit_id", "organisations", "unit_id"),
           ("ix_products_organisation_id", "products", "organisation_id"))


def upgrade():
    for name, table, column in INDEXES:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, [column], postgresql_include=["id"])


def downgrade():
    for name, table, column in INDEXES:
        op.drop_index(name, table_name=table)
        op.create_index(name, table, [column])
