"""first-level checks only at the first level: drop the stray checks that resubmissions to the province opened

A file the province returned and the producer resubmitted went back to the province, yet a new first-level check
was opened for it; nothing ever met it, so it stayed open and fell overdue on the queue, in reminders and in the
unit's on-time figures. An open first-level check belongs only to a dossier at the first level (VietGAP check or
first-level review): any other open one is deleted, with its extensions, as the service deletes a deadline that
no longer applies. Data only; the downgrade has nothing to restore.

Revision ID: 3a1f0c5e7d21
Revises: 2dfd3e260c20
Create Date: 2026-12-04 12:00:00

"""
from alembic import op
import sqlalchemy as sa

revision = '3a1f0c5e7d21'
down_revision = '2dfd3e260c20'
branch_labels = None
depends_on = None

STRAY = sa.text(
    "SELECT deadlines.id FROM deadlines JOIN dossiers ON dossiers.id = deadlines.dossier_id "
    "WHERE deadlines.kind = 'first_level_check' AND deadlines.met_on IS NULL "
    "AND dossiers.state NOT IN ('vietgap', 'district_review')")


def upgrade():
    connection = op.get_bind()
    stray = [row[0] for row in connection.execute(STRAY)]
    if not stray:
        return
    extensions = sa.table("deadline_extensions", sa.column("deadline_id"))
    deadlines = sa.table("deadlines", sa.column("id"))
    connection.execute(extensions.delete().where(extensions.c.deadline_id.in_(stray)))
    connection.execute(deadlines.delete().where(deadlines.c.id.in_(stray)))


def downgrade():
    pass  # the deleted rows were wrong; nothing to put back
