"""The working-day calendar kept in the database: loading the shipped schedule, reading it for deadlines."""
from __future__ import annotations

from datetime import date

from ..extensions import db
from .calendar import DEFAULT_CALENDAR_PATH, WorkingCalendar, calendar_from_rows
from .models import CalendarDay, CalendarYear


def load_shipped_calendar() -> int:
    """Add the shipped years (2025, 2026) that the database does not hold yet; returns how many were added."""
    import json

    shipped = json.loads(DEFAULT_CALENDAR_PATH.read_text(encoding="utf-8"))["years"]
    known = set(db.session.scalars(db.select(CalendarYear.year)))
    added = 0
    for year_key, data in shipped.items():
        year = int(year_key)
        if year in known:
            continue
        db.session.add(CalendarYear(year=year, source=data.get("source", "")))
        db.session.flush()  # the year row first: the days refer to it
        for key, kind in (("holidays", "holiday"), ("working_days", "working_day")):
            for entry in data.get(key, []):
                db.session.add(CalendarDay(day=date.fromisoformat(entry["date"]), year=year, kind=kind,
                                           name_vi=entry.get("name_vi", ""), name_en=entry.get("name_en", "")))
        added += 1
    db.session.flush()
    return added


def working_calendar() -> WorkingCalendar:
    """The calendar as the administrators keep it now (a few dozen rows: read whole)."""
    years = list(db.session.scalars(db.select(CalendarYear.year)))
    rows = [(day.day, day.kind, day.name_vi) for day in db.session.scalars(db.select(CalendarDay))]
    return calendar_from_rows(rows, years)
