"""reports: dashboard snapshots, the figures per scope kept for every app server

The dashboard counts every dossier of its scope; at 100,000 that grows with N (issue 13). Its figures are kept here,
one row per scope and filters, recomputed at most every DASHBOARD_MAX_AGE seconds or on the page's refresh button.

Revision ID: ddfb36d9850d
Revises: 497ed5f31edb
Create Date: 2026-12-06 05:09:01

"""
import sqlalchemy as sa
from alembic import op

revision = 'ddfb36d9850d'
down_revision = '497ed5f31edb'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'dashboard_snapshots',
        sa.Column('scope', sa.String(length=200), nullable=False),
        sa.Column('taken_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('figures', sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint('scope', name=op.f('pk_dashboard_snapshots')))
    op.create_index(op.f('ix_dashboard_snapshots_taken_at'), 'dashboard_snapshots', ['taken_at'])


def downgrade():
    op.drop_index(op.f('ix_dashboard_snapshots_taken_at'), table_name='dashboard_snapshots')
    op.drop_table('dashboard_snapshots')
