"""Who may upload and who may check a dossier's documents: named predicates, deny by default."""
from __future__ import annotations

from ..accounts.models import User
from ..dossiers.models import Dossier
from ..dossiers.permissions import PREPARING_STATES, is_own_producer, is_reviewing_officer

# The producer may still add a version while the VietGAP certificate is being verified.
UPLOAD_STATES = (*PREPARING_STATES, "vietgap")
# The reviewing officer judges documents during the first-level checks.
CHECK_STATES = ("vietgap", "district_review")


def can_upload_documents(user: User | None, dossier: Dossier) -> bool:
    return is_own_producer(user, dossier) and dossier.state in UPLOAD_STATES


def can_check_documents(user: User | None, dossier: Dossier) -> bool:
    return is_reviewing_officer(user, dossier) and dossier.state in CHECK_STATES
