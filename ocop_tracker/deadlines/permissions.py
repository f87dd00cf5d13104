"""Who may extend a deadline: named predicates, deny by default."""
from __future__ import annotations

from ..accounts.models import User
from ..dossiers.models import Dossier
from ..dossiers.permissions import is_deciding_officer, is_provincial_officer, is_reviewing_officer
from .models import Deadline


def can_extend_deadline(user: User | None, dossier: Dossier, deadline: Deadline) -> bool:
    """The province for every kind; the first level for its own check; the level that decides for the decision
    (a district's own, in the district era — a commune never decides)."""
    if user is None or deadline.dossier_id != dossier.id:
        return False
    if is_provincial_officer(user, dossier):
        return True
    if deadline.kind == "first_level_check":
        return is_reviewing_officer(user, dossier)
    return deadline.kind == "decision" and dossier.level == "district" and is_deciding_officer(user, dossier)
