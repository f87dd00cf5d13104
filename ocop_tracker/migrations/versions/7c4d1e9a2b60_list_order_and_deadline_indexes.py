"""indexes for the dossier lists: their order (updated_at, id) and a dossier's deadlines by due day

The lists sort by `updated_at DESC, id DESC` (read backwards on this index instead of sorting every visible dossier);
the queue's "due soon"/"overdue" counts test each waiting dossier's open deadlines by due day, one range of
(dossier_id, due_on) instead of a bitmap AND of two single-column indexes.

Revision ID: 7c4d1e9a2b60
Revises: 5b7e2c9d4a10
Create Date: 2026-12-05 08:45:00

"""
from alembic import op

revision = '7c4d1e9a2b60'
down_revision = '5b7e2c9d4a10'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_dossiers_updated_at_id", "dossiers", ["updated_at", "id"])
    op.create_index("ix_deadlines_dossier_id_due_on", "deadlines", ["dossier_id", "due_on"])


def downgrade():
    op.drop_index("ix_deadlines_dossier_id_due_on", table_name="deadlines")
    op.drop_index("ix_dossiers_updated_at_id", table_name="dossiers")
