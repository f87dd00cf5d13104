"""Who may upload and who may check a dossier's documents: named predicates, deny by default."""
from __future__ import annotations

from ..accounts.models import User
from ..dossiers.models import Dossier
from ..dossiers.permissions import is_own_producer, is_reviewing_officer
from ..workflow import FIRST_LEVEL_CHECK, UPLOADS_OPEN


def can_upload_documents(user: User | None, dossier: Dossier) -> bool:
    """The producer while preparing, and while the VietGAP certificate is being verified."""
    return is_own_producer(user, dossier) and dossier.state in UPLOADS_OPEN


def can_check_documents(user: User | None, dossier: Dossier) -> bool:
    """The reviewing officer judges documents during the first-level check."""
    return is_reviewing_officer(user, dossier) and dossier.state in FIRST_LEVEL_CHECK
