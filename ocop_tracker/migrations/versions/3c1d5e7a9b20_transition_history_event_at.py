"""transition history by (event, at): a period's arrivals

The summaries' "new arrivals" (submit, resubmit on the reported days) read the history of every dossier the
officers see (a province: 4,930 dossiers, 26,000 pages at 100,000 dossiers); with this index, the day's few
submits and their dossiers (issue 13).

Revision ID: 3c1d5e7a9b20
Revises: 26b1ac14ee1d
Create Date: 2026-12-06 06:35:00

"""
from alembic import op

revision = '3c1d5e7a9b20'
down_revision = '26b1ac14ee1d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_transition_history_event_at', 'transition_history', ['event', 'at'], unique=False,
                    postgresql_include=['dossier_id'])


def downgrade():
    op.drop_index('ix_transition_history_event_at', table_name='transition_history')
