"""A deadline's status — met, overdue, due soon or on time — computed in one place for pages, queues and the API."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app, g

from ..rules.services import working_calendar
from ..rules.working_days import CalendarYearMissing, WorkingCalendar

DEFAULT_DUE_SOON_WORKING_DAYS = 3
# Certificates are "due soon" within the month the issuer must warn the producer (QĐ 148: ≥ 30 days);
# VietGAP certificates and the re-rating window are watched on the same calendar-day scale.
CALENDAR_DAY_KINDS = ("re_rating_filing", "certificate_expiry", "vietgap_expiry")
CALENDAR_DUE_SOON_DAYS = 30
STATUSES = ("met", "overdue", "due_soon", "on_time", "unknown")  # unknown: the calendar lacks the year
_LIMITS_KEY = "_ocop_due_soon_limits"


@dataclass(frozen=True)
class DueSoonLimits:
    """The last day still "due soon" today: in working days, and for the certificate kinds in calendar days."""

    today: date
    working_until: date
    calendar_until: date

    def until(self, kind: str) -> date:
        return self.calendar_until if kind in CALENDAR_DAY_KINDS else self.working_until


def _working_days_ahead(calendar: WorkingCalendar, today: date, n: int) -> date:
    """The n-th working day after today; past the covered years only weekends are skipped.

    This is a warning window, not a legal date: a late-December page must still say "due soon" before the
    administrator adds the new year, and the due dates themselves are never counted this way.
    """
    try:
        return calendar.add_working_days(today, n)
    except CalendarYearMissing:
        day, left = today, n
        while left:
            day += timedelta(days=1)
            covered = day.year in calendar.years
            left -= calendar.is_working_day(day) if covered else day.weekday() < 5
        return day


def due_soon_limits(today: date) -> DueSoonLimits:
    """Today's limits, computed once per request (every row of a list asks)."""
    n = int(current_app.config.get("DEADLINE_DUE_SOON_WORKING_DAYS", DEFAULT_DUE_SOON_WORKING_DAYS))
    calendar = working_calendar()  # itself cached; a calendar change gives a new object, so new limits
    key = (today, n, calendar)
    cached = g.get(_LIMITS_KEY)
    if cached is None or cached[0] != key:
        cached = key, DueSoonLimits(today, _working_days_ahead(calendar, today, n),
                                    today + timedelta(days=CALENDAR_DUE_SOON_DAYS))
        setattr(g, _LIMITS_KEY, cached)
    return cached[1]


def deadline_status(kind: str, due_on: date | None, met_on: date | None, today: date) -> str:
    """met when done; unknown while the calendar lacks the year; overdue after the due day; else soon or on time."""
    if met_on is not None:
        return "met"
    if due_on is None:
        return "unknown"
    if today > due_on:
        return "overdue"
    return "due_soon" if due_on <= due_soon_limits(today).until(kind) else "on_time"


def missing_calendar_year(starts_on: date) -> int:
    """The first year from `starts_on` on that the calendar does not cover (why a due date is empty)."""
    years, year = working_calendar().years, starts_on.year
    while year in years:
        year += 1
    return year


@dataclass(frozen=True)
class DeadlineView:
    """One deadline as pages and the API show it (stored, or computed like the VietGAP certificate's end)."""

    kind: str
    due_on: date | None
    status: str
    starts_on: date | None = None
    met_on: date | None = None
    id: int | None = None
    missing_year: int | None = None

    def summary(self) -> dict:
        """The API's shape: {kind, due_on (YYYY-MM-DD or null), status}."""
        return {"kind": self.kind, "due_on": self.due_on.isoformat() if self.due_on else None,
                "status": self.status}


def view_of(deadline, today: date) -> DeadlineView:
    """A stored Deadline row seen on `today`."""
    status = deadline_status(deadline.kind, deadline.due_on, deadline.met_on, today)
    missing = missing_calendar_year(deadline.starts_on) if status == "unknown" else None
    return DeadlineView(deadline.kind, deadline.due_on, status, deadline.starts_on, deadline.met_on,
                        deadline.id, missing)
