"""Today's date and the current time in Vietnam, the one place the app reads the clock."""
from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def now() -> datetime:
    return datetime.now(VIETNAM)


def today() -> date:
    return now().date()
