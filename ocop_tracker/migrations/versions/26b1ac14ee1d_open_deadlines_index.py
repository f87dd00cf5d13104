"""the open deadlines of a dossier by due day, with their kind

The list's tab counts test, for every waiting file, "an open deadline due soon" and "an open deadline overdue":
through `(dossier_id, due_on)` each test read the deadline rows for `met_on` and `kind` (4,373 pages for the
admin's 586 waiting files at 100,000 dossiers). This index holds only the open ones, with their kind.

Revision ID: 26b1ac14ee1d
Revises: e8388d1281e3
Create Date: 2026-12-06 06:31:24

"""
import sqlalchemy as sa
from alembic import op

revision = '26b1ac14ee1d'
down_revision = 'e8388d1281e3'
branch_labels = None
depends_on = None

OPEN = sa.text("met_on IS NULL")


def upgrade():
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.create_index('ix_deadlines_open_dossier_id_due_on', ['dossier_id', 'due_on'], unique=False,
                              postgresql_include=['kind'], postgresql_where=OPEN, sqlite_where=OPEN)


def downgrade():
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.drop_index('ix_deadlines_open_dossier_id_due_on')
