"""reports, registry: covering indexes, so the counts over every dossier and certificate read no table

On PostgreSQL at 100,000 dossiers the dashboard's counts (by state, by product set, first-level checks, rounds),
the queue's tab counts and the registry's count of valid certificates read the whole dossiers table (61 MB) or
certificates table: these indexes carry the columns they read, for index-only scans (issue 13). The state index
becomes (state, received_on) with the counted columns included; SQLite ignores the INCLUDE part.

Revision ID: 92c6c934c2cb
Revises: e69016add957
Create Date: 2026-12-06 02:30:42.945224

"""
from alembic import op

revision = '92c6c934c2cb'
down_revision = 'e69016add957'
branch_labels = None
depends_on = None

DOSSIER_INCLUDE = ["id", "product_id", "review_unit_id", "level", "round_number", "assignee_id"]
CERTIFICATE_INCLUDE = ["id", "issued_on", "dossier_id"]


def upgrade():
    op.create_index("ix_certificates_status_expires_on_star", "certificates", ["status", "expires_on", "star"],
                    postgresql_include=CERTIFICATE_INCLUDE)
    op.drop_index("ix_dossiers_state", table_name="dossiers")
    op.create_index("ix_dossiers_state_received_on", "dossiers", ["state", "received_on"],
                    postgresql_include=DOSSIER_INCLUDE)


def downgrade():
    op.drop_index("ix_dossiers_state_received_on", table_name="dossiers")
    op.create_index("ix_dossiers_state", "dossiers", ["state"])
    op.drop_index("ix_certificates_status_expires_on_star", table_name="certificates")
