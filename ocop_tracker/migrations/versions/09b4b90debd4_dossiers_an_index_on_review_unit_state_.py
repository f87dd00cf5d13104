"""dossiers: an index on (review unit, state) for the officers' list count

An officer's list counts the dossiers whose review unit lies under the officer's unit and that are not drafts. On
PostgreSQL at 100,000 dossiers that count read the whole state index (84,000 entries) and kept those of a hash of
the province's units; with this index it reads each unit's range alone (issue 13). It replaces the index on
review_unit_id (its first column).

Revision ID: 09b4b90debd4
Revises: 92c6c934c2cb
Create Date: 2026-12-06 03:39:55.910789

"""
from alembic import op

revision = '09b4b90debd4'
down_revision = '92c6c934c2cb'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index("ix_dossiers_review_unit_id", table_name="dossiers")
    op.create_index("ix_dossiers_review_unit_id_state", "dossiers", ["review_unit_id", "state"])


def downgrade():
    op.drop_index("ix_dossiers_review_unit_id_state", table_name="dossiers")
    op.create_index("ix_dossiers_review_unit_id", "dossiers", ["review_unit_id"])
