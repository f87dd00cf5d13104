"""Vietnamese working-day calendar used to count legal time limits in working days."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Any

DEFAULT_CALENDAR_PATH = Path(__file__).parent / "data" / "calendar-vn.json"
HOLIDAY = "holiday"
WORKING_DAY = "working_day"
_ONE_DAY = timedelta(days=1)


def _require_date(d: object) -> date:
    """Return d if it is a plain date, else raise TypeError."""
    # datetime is a date subclass but never equals a date, so it would silently miss holidays.
    if isinstance(d, datetime) or not isinstance(d, date):
        raise TypeError(f"expected a datetime.date, got {type(d).__name__}")
    return d


class CalendarYearMissing(ValueError):
    """Raised when a computation touches a year the calendar data does not cover."""

    def __init__(self, year: int) -> None:
        super().__init__(
            f"the working-day calendar has no data for year {year}; "
            f"add that year's holidays and make-up working days before counting deadlines"
        )
        self.year = year


@dataclass(frozen=True)
class WorkingCalendar:
    """Official non-working and make-up working days for a set of covered years."""

    holidays: frozenset[date]
    working_days: frozenset[date]
    years: frozenset[int]
    weekend: frozenset[int] = frozenset({5, 6})
    names: Mapping[date, str] = field(default_factory=dict, compare=False)

    def _covered(self, d: date) -> date:
        """Return d after checking its type and that its year is covered."""
        if _require_date(d).year not in self.years:
            raise CalendarYearMissing(d.year)
        return d

    def is_working_day(self, d: date) -> bool:
        """Return True when civil servants work on d."""
        self._covered(d)
        if d in self.working_days:  # a make-up Saturday overrides the weekend
            return True
        return d.weekday() not in self.weekend and d not in self.holidays

    def add_working_days(self, start: date, n: int) -> date:
        """Return the n-th working day strictly after start (n >= 1)."""
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise ValueError(f"n must be a positive integer, got {n!r}")
        _require_date(start)
        # The day of receipt never counts: the limit runs from the next day.
        d, remaining = start, n
        while remaining:
            d += _ONE_DAY
            if self.is_working_day(d):
                remaining -= 1
        return d

    def next_working_day(self, d: date) -> date:
        """Return the first working day strictly after d."""
        return self.add_working_days(d, 1)

    def working_days_between(self, start: date, end: date) -> int:
        """Count working days d with start < d <= end (0 when end <= start)."""
        _require_date(start)
        _require_date(end)
        return sum(
            self.is_working_day(start + timedelta(days=k))
            for k in range(1, (end - start).days + 1)
        )


def calendar_from_rows(
    rows: Iterable[Sequence[Any]],
    years: Iterable[int],
    weekend: Iterable[int] = (5, 6),
) -> WorkingCalendar:
    """Build a calendar from (date, kind[, name]) rows, kind being 'holiday' or 'working_day'."""
    covered = frozenset(int(y) for y in years)
    holidays: set[date] = set()
    working: set[date] = set()
    names: dict[date, str] = {}
    for row in rows:
        day, kind = _require_date(row[0]), row[1]
        if day.year not in covered:
            # A row outside the declared years means the year list is wrong; refuse to guess.
            raise ValueError(f"calendar row {day.isoformat()} is outside the covered years")
        if kind == HOLIDAY:
            holidays.add(day)
        elif kind == WORKING_DAY:
            working.add(day)
        else:
            raise ValueError(f"unknown calendar row kind {kind!r} for {day.isoformat()}")
        if len(row) > 2 and row[2]:
            names[day] = str(row[2])
    if both := holidays & working:
        raise ValueError(f"dates both holiday and working day: {sorted(both)}")
    return WorkingCalendar(
        holidays=frozenset(holidays),
        working_days=frozenset(working),
        years=covered,
        weekend=frozenset(int(w) for w in weekend),
        names=MappingProxyType(names),
    )


def load_calendar(path: Path | None = None) -> WorkingCalendar:
    """Load a calendar from the JSON file (default: the shipped calendar-vn.json)."""
    raw = json.loads((path or DEFAULT_CALENDAR_PATH).read_text(encoding="utf-8"))
    rows: list[tuple[date, str, str]] = []
    for year_key, year in raw["years"].items():
        for key, kind in (("holidays", HOLIDAY), ("working_days", WORKING_DAY)):
            for entry in year.get(key, []):
                day = date.fromisoformat(entry["date"])
                if day.year != int(year_key):
                    raise ValueError(f"{entry['date']} is listed under year {year_key}")
                rows.append((day, kind, entry.get("name_vi", "")))
    return calendar_from_rows(rows, (int(y) for y in raw["years"]), raw.get("weekend", (5, 6)))
