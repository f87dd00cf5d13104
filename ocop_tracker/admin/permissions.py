"""Who may administer units, organisations, users, councils and rule sets."""
from __future__ import annotations

from ..accounts.models import User


def can_administer(user: User | None) -> bool:
    """Administrators only; for everyone else the administration pages do not exist."""
    return getattr(user, "role", None) == "admin"
