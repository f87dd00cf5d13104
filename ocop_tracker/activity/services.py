"""Writing and reading the activity log; services call `log_action` inside their own transaction."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Select, or_

from ..accounts.models import User
from ..extensions import db
from .log_lines import log_change
from .models import ActivityRecord

RECENT = 10  # entries an admin edit page shows of its object
# Newest first by time, not id: moved rows (the extensions the migration brought over) keep their old times.
NEWEST_FIRST = (ActivityRecord.at.desc(), ActivityRecord.id.desc())


def log_action(action: str, *, actor: User | None, dossier=None, obj=None, data: dict | None = None,
               at: datetime | None = None) -> ActivityRecord:
    """Record one change (flushed with the change itself: both commit or neither); `at` for a backdated act.

    `dossier` is the dossier or its id; `obj` the row changed (its class name and id are kept)."""
    dossier_id = dossier if isinstance(dossier, int) else getattr(dossier, "id", None)
    record = ActivityRecord(action=action, actor=actor, actor_name=actor.username if actor else "system",
                            dossier_id=dossier_id, object_type=type(obj).__name__ if obj else "",
                            object_id=getattr(obj, "id", None), data=data or {})
    if at is not None:
        record.at = at
    db.session.add(record)
    log_change("%s by %s: dossier=%s %s=%s", action, record.actor_name, dossier_id, record.object_type or "-",
               record.object_id)
    return record


def _plain(value):
    """A value as JSON keeps it: dates as ISO text, decimals as text, related rows by their id."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return getattr(value, "id", value)


def snapshot(obj, *fields: str) -> dict:
    """The fields' values now, to compare after a change (never pass a password or token field)."""
    return {field: _plain(getattr(obj, field, None)) for field in fields}


def changes(before: dict, obj) -> dict:
    """{field: [old, new]} for each snapshot field whose value differs on `obj` now (None and "" are the same)."""
    after = snapshot(obj, *before)
    return {field: [before[field], after[field]] for field in before
            if _blank_as_none(before[field]) != _blank_as_none(after[field])}


def _blank_as_none(value):
    return None if value == "" else value


def dossier_activity(dossier) -> list[ActivityRecord]:
    """The dossier's activity, newest first (one query)."""
    return list(db.session.scalars(db.select(ActivityRecord).filter_by(dossier_id=dossier.id)
                                   .order_by(*NEWEST_FIRST)))


def object_activity(obj, limit: int = RECENT) -> list[ActivityRecord]:
    """The latest changes to one object (a user, unit, organisation, council), newest first."""
    return list(db.session.scalars(db.select(ActivityRecord).filter_by(
        object_type=type(obj).__name__, object_id=obj.id).order_by(*NEWEST_FIRST).limit(limit)))


def activity_statement(action_prefix: str = "", actor_name: str = "") -> Select:
    """Every logged change, newest first, of the actions under `action_prefix` and by `actor_name` (each optional)."""
    statement = db.select(ActivityRecord).order_by(*NEWEST_FIRST)
    if action_prefix:
        escaped = action_prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        statement = statement.where(or_(ActivityRecord.action == action_prefix,
                                        ActivityRecord.action.like(escaped + ".%", escape="\\")))
    if actor_name:
        statement = statement.where(ActivityRecord.actor_name == actor_name)
    return statement
