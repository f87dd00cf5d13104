"""Who may open and close a province's evaluation batches."""
from __future__ import annotations

from ..accounts.models import AdministrativeUnit, User


def can_manage_batches(user: User | None, unit: AdministrativeUnit | None) -> bool:
    """An officer or administrator of that province (its OCOP office); nobody below or beside it."""
    return bool(user is not None and getattr(user, "role", None) in ("officer", "admin")
                and unit is not None and unit.level == "province" and user.unit_id == unit.id)
