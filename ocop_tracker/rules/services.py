"""The working-day calendar kept in the database: the shipped schedule, reading it, and the administrators' edits."""
from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import event, func
from sqlalchemy.orm import Session

from ..activity.services import log_action
from ..extensions import db
from ..refusals import Refusal
from ..signals import calendar_changed
from ..workflow import NotPermitted
from .models import CALENDAR_DAY_KINDS, CalendarDay, CalendarYear
from .working_days import DEFAULT_CALENDAR_PATH, HOLIDAY, WORKING_DAY, WorkingCalendar, calendar_from_rows

if TYPE_CHECKING:
    from ..accounts.models import User

_CACHE_KEY = "_ocop_working_calendar"
# Years an administrator may add: wide enough for any deadline, narrow enough to catch a typo like 20277.
FIRST_YEAR, LAST_YEAR = 2000, 2100


class Actor(Protocol):
    """Who may edit the calendar: the check reads only the role (the edits themselves log a User)."""

    role: str


def _require_admin(actor: Actor | None) -> None:
    if actor is None or actor.role != "admin":
        raise NotPermitted("only an administrator can change the working-day calendar")


class CalendarError(Refusal, ValueError):
    """A calendar change the rules refuse; `code` and `params` say why, for the page."""

    def __init__(self, message: str, code: str, **params):
        super().__init__(message, code=code, params=params)


def load_shipped_calendar() -> int:
    """Add the shipped years (2025, 2026) that the database does not hold yet; returns how many were added."""
    shipped = json.loads(DEFAULT_CALENDAR_PATH.read_text(encoding="utf-8"))["years"]
    known = set(db.session.scalars(db.select(CalendarYear.year)))
    added = 0
    for year_key, data in shipped.items():
        year = int(year_key)
        if year in known:
            continue
        db.session.add(CalendarYear(year=year, source=data.get("source", "")))
        db.session.flush()  # the year row first: the days refer to it
        for key, kind in (("holidays", HOLIDAY), ("working_days", WORKING_DAY)):
            for entry in data.get(key, []):
                db.session.add(CalendarDay(day=date.fromisoformat(entry["date"]), year=year, kind=kind,
                                           name_vi=entry.get("name_vi", ""), name_en=entry.get("name_en", "")))
        added += 1
    db.session.flush()
    forget_calendar()
    return added


def working_calendar() -> WorkingCalendar:
    """The calendar as the administrators keep it now, read once per session (list pages ask for every row)."""
    cached = db.session.info.get(_CACHE_KEY)
    if cached is None:
        years = list(db.session.scalars(db.select(CalendarYear.year)))
        rows = [(day.day, day.kind, day.name_vi) for day in db.session.scalars(db.select(CalendarDay))]
        cached = calendar_from_rows(rows, years)
        db.session.info[_CACHE_KEY] = cached
    return cached


def forget_calendar() -> None:
    """Drop the session's copy after a change, so the next reading sees it."""
    db.session.info.pop(_CACHE_KEY, None)


@event.listens_for(Session, "after_soft_rollback")
def _forget_rolled_back(session: Session, _previous) -> None:
    """A rolled-back change leaves no calendar behind it."""
    session.info.pop(_CACHE_KEY, None)


def calendar_overview() -> list[tuple[CalendarYear, int, int]]:
    """Every covered year with its number of holidays and of compensatory working days, newest first."""
    counts = {(year, kind): n for year, kind, n in db.session.execute(
        db.select(CalendarDay.year, CalendarDay.kind, func.count()).group_by(CalendarDay.year, CalendarDay.kind))}
    years = db.session.scalars(db.select(CalendarYear).order_by(CalendarYear.year.desc()))
    return [(y, counts.get((y.year, HOLIDAY), 0), counts.get((y.year, WORKING_DAY), 0)) for y in years]


def calendar_days(year: int) -> list[CalendarDay]:
    return list(db.session.scalars(db.select(CalendarDay).filter_by(year=year).order_by(CalendarDay.day)))


def _changed() -> None:
    """After every edit: flush, forget the cached calendar and tell what counts on it (the deadlines)."""
    db.session.flush()
    forget_calendar()
    calendar_changed.send()


def add_calendar_year(*, actor: User, year: int, source: str = "") -> CalendarYear:
    """Cover a year; with no days added, only its Saturdays and Sundays are days off."""
    _require_admin(actor)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise CalendarError(f"year {year} is outside {FIRST_YEAR}-{LAST_YEAR}", "year_range",
                            first=FIRST_YEAR, last=LAST_YEAR)
    if db.session.get(CalendarYear, year) is not None:
        raise CalendarError(f"year {year} is already in the calendar", "year_exists", year=year)
    calendar_year = CalendarYear(year=year, source=(source or "").strip())
    db.session.add(calendar_year)
    log_action("admin.calendar.add_year", actor=actor, data={"year": year, "source": calendar_year.source})
    _changed()
    return calendar_year


def set_calendar_source(calendar_year: CalendarYear, *, actor: User, source: str) -> CalendarYear:
    """Say where the year's schedule comes from (the announcement and its date)."""
    _require_admin(actor)
    old = calendar_year.source
    calendar_year.source = (source or "").strip()
    db.session.flush()
    log_action("admin.calendar.set_source", actor=actor, data={
        "year": calendar_year.year, "changes": {"source": [old, calendar_year.source]}})
    return calendar_year


def _check_day(day: date, kind: str, name_vi: str) -> None:
    if kind not in CALENDAR_DAY_KINDS:
        raise CalendarError(f"unknown kind {kind!r}", "unknown_kind")
    if db.session.get(CalendarYear, day.year) is None:
        raise CalendarError(f"{day.year} is not in the calendar", "year_missing", year=day.year)
    if kind == WORKING_DAY and day.weekday() < 5:
        raise CalendarError(f"{day} is a weekday: only a Saturday or Sunday becomes a working day",
                            "working_day_on_weekday", day=day)
    if kind == HOLIDAY and day.weekday() >= 5:
        raise CalendarError(f"{day} is a weekend day: a holiday is recorded on the weekday taken off",
                            "holiday_on_weekend", day=day)
    if not name_vi:
        raise CalendarError("a calendar day needs a Vietnamese name", "name_required")
    if db.session.scalar(db.select(CalendarDay.id).filter_by(day=day)) is not None:
        raise CalendarError(f"{day} is already in the calendar", "day_exists", day=day)


def add_calendar_day(*, actor: User, day: date, kind: str, name_vi: str, name_en: str = "") -> CalendarDay:
    """Add a public holiday (a weekday off) or a compensatory working day (a Saturday or Sunday worked)."""
    _require_admin(actor)
    name_vi, name_en = (name_vi or "").strip(), (name_en or "").strip()
    _check_day(day, kind, name_vi)
    calendar_day = CalendarDay(day=day, year=day.year, kind=kind, name_vi=name_vi, name_en=name_en)
    db.session.add(calendar_day)
    log_action("admin.calendar.add_day", actor=actor, data=_day_data(calendar_day))
    _changed()
    return calendar_day


def remove_calendar_day(calendar_day: CalendarDay, *, actor: User) -> None:
    """Take a day out: it counts as an ordinary weekday or weekend day again."""
    _require_admin(actor)
    log_action("admin.calendar.remove_day", actor=actor, data=_day_data(calendar_day))
    db.session.delete(calendar_day)
    _changed()


def _day_data(calendar_day: CalendarDay) -> dict:
    """A calendar day as the activity log keeps it (the row itself may be deleted)."""
    return {"day": calendar_day.day.isoformat(), "kind": calendar_day.kind, "name_vi": calendar_day.name_vi,
            "summary": f"{calendar_day.day:%d/%m/%Y} {calendar_day.name_vi}"}
