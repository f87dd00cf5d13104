"""Who may read the dashboards: officers (their unit and below) and administrators (the province)."""
from __future__ import annotations

from ..accounts.models import User


def can_view_reports(user: User | None) -> bool:
    return bool(user and user.role in ("officer", "admin") and user.unit_id is not None)
