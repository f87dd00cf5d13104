"""Today's date and the current time in Vietnam, the one place the app reads the clock."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def now() -> datetime:
    return datetime.now(VIETNAM)


def today() -> date:
    """Today in Vietnam; the TODAY setting (YYYY-MM-DD) pins it, for tests, demos and catch-up runs."""
    pinned = current_app.config.get("TODAY") if has_app_context() else None
    if pinned:
        return pinned if isinstance(pinned, date) else date.fromisoformat(str(pinned))
    return now().date()
