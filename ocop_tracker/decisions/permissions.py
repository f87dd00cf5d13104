"""Who may read a recognition decision: named predicates, deny by default."""
from __future__ import annotations

from ..accounts.models import User
from ..extensions import db
from .models import RecognitionDecision
from .services import visible_decisions


def can_view_decision(user: User | None, decision: RecognitionDecision | None) -> bool:
    """Officers of the deciding unit or above it, and the producers it lists (as its page checks)."""
    if user is None or decision is None:
        return False
    statement = visible_decisions(user, db.select(RecognitionDecision.id).where(RecognitionDecision.id == decision.id))
    return db.session.scalar(statement) is not None
