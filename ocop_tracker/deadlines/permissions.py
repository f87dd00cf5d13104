"""Who may extend a deadline: named predicates, deny by default."""
from __future__ import annotations

from ..accounts.models import User
from ..dossiers.models import Dossier
from ..dossiers.permissions import is_provincial_officer, is_reviewing_officer
from .models import Deadline

# The reviewing unit answers for its own check and for the council's decision; the province for every kind.
REVIEWING_UNIT_KINDS = ("first_level_check", "decision")


def can_extend_deadline(user: User | None, dossier: Dossier, deadline: Deadline) -> bool:
    """An officer of the reviewing unit (its check, the decision) or a provincial officer or administrator."""
    if user is None or deadline.dossier_id != dossier.id:
        return False
    if is_provincial_officer(user, dossier):
        return True
    return deadline.kind in REVIEWING_UNIT_KINDS and is_reviewing_officer(user, dossier)
