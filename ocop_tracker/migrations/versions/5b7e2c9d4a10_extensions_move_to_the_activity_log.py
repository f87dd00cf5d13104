"""deadline extensions move from the transition history to the activity log

An extension is not a workflow event: it moves no state and no version. It was written into the transition
history as a pseudo-event `extend_deadline`; the history now holds workflow events only, and extensions are
`deadlines.extend` entries of the activity log. Each row keeps its time, actor and dossier; its comment
("kind: old → new: reason") is split into the data the service now writes, and kept whole (with the round and
state the row held) so the downgrade puts the same row back. The activity log is indexed by time (newest first).

Revision ID: 5b7e2c9d4a10
Revises: 3a1f0c5e7d21
Create Date: 2026-12-04 21:00:00

"""
import re
from datetime import date

import sqlalchemy as sa
from alembic import op

revision = '5b7e2c9d4a10'
down_revision = '3a1f0c5e7d21'
branch_labels = None
depends_on = None

history = sa.table("transition_history", sa.column("id", sa.Integer), sa.column("dossier_id", sa.Integer),
                   sa.column("round_number", sa.Integer), sa.column("event", sa.String),
                   sa.column("from_state", sa.String), sa.column("to_state", sa.String),
                   sa.column("actor_id", sa.Integer), sa.column("actor_name", sa.String),
                   sa.column("at", sa.DateTime(timezone=True)), sa.column("comment", sa.Text))
activity = sa.table("activity_log", sa.column("id", sa.Integer), sa.column("at", sa.DateTime(timezone=True)),
                    sa.column("actor_id", sa.Integer), sa.column("actor_name", sa.String),
                    sa.column("action", sa.String), sa.column("dossier_id", sa.Integer),
                    sa.column("object_type", sa.String), sa.column("object_id", sa.Integer),
                    sa.column("data", sa.JSON))
dossiers = sa.table("dossiers", sa.column("id", sa.Integer), sa.column("round_number", sa.Integer),
                    sa.column("state", sa.String))
deadlines = sa.table("deadlines", sa.column("id", sa.Integer), sa.column("dossier_id", sa.Integer),
                     sa.column("kind", sa.String))
extensions = sa.table("deadline_extensions", sa.column("deadline_id", sa.Integer),
                      sa.column("new_due_on", sa.Date), sa.column("reason", sa.Text))
COMMENT = re.compile(r"(?P<kind>[a-z_]+): (?P<old>\S+) → (?P<new>\d{4}-\d{2}-\d{2}): (?P<reason>.*)", re.DOTALL)


def _shown(iso):
    return date.fromisoformat(iso).strftime("%d/%m/%Y") if iso else "—"


def _data(row) -> dict:
    """What the service writes for an extension, read from the row's comment; the row's own fields kept."""
    data = {"comment": row.comment, "round_number": row.round_number, "state": row.from_state}
    found = COMMENT.fullmatch(row.comment or "")
    if found is None:
        return data | {"summary": row.comment or ""}
    old = None if found["old"] == "—" else found["old"]
    return data | {"kind": found["kind"], "from": old, "to": found["new"], "reason": found["reason"],
                   "summary": f"{_shown(old)} → {_shown(found['new'])}: {found['reason']}"}


def _deadline_id(connection, dossier_id: int, data: dict):
    """The deadline the extension moved, found by its extension row (None if it was closed since)."""
    if "kind" not in data:
        return None
    return connection.execute(sa.select(deadlines.c.id).join(extensions, extensions.c.deadline_id == deadlines.c.id)
                              .where(deadlines.c.dossier_id == dossier_id, deadlines.c.kind == data["kind"],
                                     extensions.c.new_due_on == date.fromisoformat(data["to"]),
                                     extensions.c.reason == data["reason"]).limit(1)).scalar()


def upgrade():
    with op.batch_alter_table('activity_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_log_at'), ['at'], unique=False)
    connection = op.get_bind()
    rows = connection.execute(sa.select(history).where(history.c.event == "extend_deadline")
                              .order_by(history.c.id)).all()
    for row in rows:
        data = _data(row)
        deadline_id = _deadline_id(connection, row.dossier_id, data)
        connection.execute(activity.insert().values(
            at=row.at, actor_id=row.actor_id, actor_name=row.actor_name, action="deadlines.extend",
            dossier_id=row.dossier_id, object_type="Deadline" if deadline_id else "", object_id=deadline_id,
            data=data))
    connection.execute(history.delete().where(history.c.event == "extend_deadline"))


def _comment(data: dict) -> str:
    if "comment" in data:
        return data["comment"]
    return f"{data.get('kind', '')}: {data.get('from') or '—'} → {data.get('to', '')}: {data.get('reason', '')}"


def downgrade():
    connection = op.get_bind()
    rows = connection.execute(sa.select(activity, dossiers.c.round_number, dossiers.c.state)
                              .join(dossiers, dossiers.c.id == activity.c.dossier_id)
                              .where(activity.c.action == "deadlines.extend").order_by(activity.c.at, activity.c.id)
                              ).all()
    for row in rows:
        data = row.data or {}
        state = data.get("state", row.state)
        connection.execute(history.insert().values(
            dossier_id=row.dossier_id, round_number=data.get("round_number", row.round_number),
            event="extend_deadline", from_state=state, to_state=state, actor_id=row.actor_id,
            actor_name=row.actor_name, at=row.at, comment=_comment(data)))
    connection.execute(activity.delete().where(activity.c.action == "deadlines.extend"))
    with op.batch_alter_table('activity_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_log_at'))
