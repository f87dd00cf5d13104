"""Today's date and the current time in Vietnam, the one place the app reads the clock."""
from __future__ import annotations

from datetime import UTC, date, datetime
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


def local_day(moment: datetime) -> date:
    """The Vietnamese day of a stored time (stored in UTC; SQLite gives it back without its zone): an event at
    00:30 in Hà Nội is 17:30 UTC the day before."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(VIETNAM).date()


def moment_of(day: date) -> datetime:
    """Now, or the same time of day on the day an event is backdated to (demo data, cron catch-up), in UTC like
    every stored time: SQLite keeps only the wall-clock time it is given."""
    moment = now()
    if day != moment.date():
        moment = datetime.combine(day, moment.timetz())
    return moment.astimezone(UTC)
