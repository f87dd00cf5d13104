"""reports: index the history by (to_state, at, dossier_id) for the dashboard's funnel

The funnel counts, per stage, the distinct dossiers that reached its states (in the period when one is chosen):
read as ranges of this index, without the table, instead of a sequential scan of all the history with a hash
aggregate spilling to disk (issue 13).

Revision ID: 9e3a5c7b1d42
Revises: a3f9c2e71d45
Create Date: 2026-12-05 12:15:00

"""
from alembic import op

revision = '9e3a5c7b1d42'
down_revision = 'a3f9c2e71d45'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_transition_history_to_state_at_dossier_id", "transition_history",
                    ["to_state", "at", "dossier_id"])


def downgrade():
    op.drop_index("ix_transition_history_to_state_at_dossier_id", table_name="transition_history")
