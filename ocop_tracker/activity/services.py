"""Writing and reading the activity log; services call `log_action` inside their own transaction."""
from __future__ import annotations

from ..accounts.models import User
from ..extensions import db
from .models import ActivityRecord


def log_action(action: str, *, actor: User | None, dossier=None, obj=None, data: dict | None = None) -> ActivityRecord:
    """Record one change (flushed with the change itself: both commit or neither)."""
    record = ActivityRecord(action=action, actor=actor, actor_name=actor.username if actor else "system",
                            dossier_id=getattr(dossier, "id", None), object_type=type(obj).__name__ if obj else "",
                            object_id=getattr(obj, "id", None), data=data or {})
    db.session.add(record)
    return record


def dossier_activity(dossier) -> list[ActivityRecord]:
    """The dossier's activity, newest first (one query)."""
    return list(db.session.scalars(db.select(ActivityRecord).filter_by(dossier_id=dossier.id)
                                   .order_by(ActivityRecord.id.desc())))
