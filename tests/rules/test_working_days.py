"""Tests for the Vietnamese working-day calendar and its shipped 2025-2026 data."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ocop_tracker.rules.working_days import (
    DEFAULT_CALENDAR_PATH,
    CalendarYearMissing,
    WorkingCalendar,
    calendar_from_rows,
    load_calendar,
)

D = date.fromisoformat

# Pinned so that any edit of the legal data has to be made on purpose, here and in the JSON.
EXPECTED_HOLIDAYS = {
    2025: {"2025-01-01", "2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31",
           "2025-04-07", "2025-04-30", "2025-05-01", "2025-05-02", "2025-09-01", "2025-09-02"},
    2026: {"2026-01-01", "2026-01-02", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19",
           "2026-02-20", "2026-04-27", "2026-04-30", "2026-05-01", "2026-08-31", "2026-09-01",
           "2026-09-02"},
}
EXPECTED_WORKING_DAYS = {2025: {"2025-04-26"}, 2026: {"2026-01-10", "2026-08-22"}}


@pytest.fixture(scope="module")
def cal() -> WorkingCalendar:
    return load_calendar()


def test_fifteen_working_days_across_tet_2026(cal: WorkingCalendar) -> None:
    # Received Fri 13/02: 14-22/02 off (Tết + weekends); Mon 23/02 is day 1, Fri 13/03 is day 15.
    assert cal.add_working_days(D("2026-02-13"), 15) == D("2026-03-13")
    assert cal.next_working_day(D("2026-02-13")) == D("2026-02-23")


def test_national_day_2026_with_make_up_saturday(cal: WorkingCalendar) -> None:
    # Received Fri 21/08: Sat 22/08 (make-up) = 1, 24-28/08 = 2..6, 31/08-02/09 off,
    # 03-04/09 = 7..8, 07-08/09 = 9..10.
    assert cal.add_working_days(D("2026-08-21"), 10) == D("2026-09-08")
    assert cal.next_working_day(D("2026-08-28")) == D("2026-09-03")
    assert cal.working_days_between(D("2026-08-28"), D("2026-09-03")) == 1


def test_make_up_saturday_counts_ordinary_saturday_does_not(cal: WorkingCalendar) -> None:
    for make_up in ("2025-04-26", "2026-01-10", "2026-08-22"):
        assert D(make_up).weekday() == 5 and cal.is_working_day(D(make_up))
    assert not cal.is_working_day(D("2026-01-17"))  # ordinary Saturday
    assert not cal.is_working_day(D("2026-01-11"))  # ordinary Sunday
    assert cal.next_working_day(D("2026-01-09")) == D("2026-01-10")
    assert cal.next_working_day(D("2025-04-25")) == D("2025-04-26")
    assert cal.working_days_between(D("2026-01-09"), D("2026-01-12")) == 2  # Sat 10 + Mon 12


def test_swapped_and_substitute_days_off(cal: WorkingCalendar) -> None:
    assert not cal.is_working_day(D("2026-01-02"))  # swapped to Sat 10/01
    assert not cal.is_working_day(D("2026-04-27"))  # Giỗ Tổ fell on Sunday 26/04
    assert cal.is_working_day(D("2026-04-28")) and cal.is_working_day(D("2026-04-29"))
    assert not cal.is_working_day(D("2025-05-02"))
    assert cal.is_working_day(D("2026-09-03"))
    assert cal.names[D("2026-02-17")].startswith("Tết Nguyên đán")


def test_span_into_2027_raises_with_year(cal: WorkingCalendar) -> None:
    with pytest.raises(CalendarYearMissing, match="2027"):
        cal.add_working_days(D("2026-12-15"), 30)
    with pytest.raises(CalendarYearMissing, match="2027"):
        cal.working_days_between(D("2026-12-30"), D("2027-01-05"))
    with pytest.raises(CalendarYearMissing, match="2024") as info:
        cal.is_working_day(D("2024-12-31"))
    assert info.value.year == 2024 and isinstance(info.value, ValueError)


def test_bad_arguments_are_rejected(cal: WorkingCalendar) -> None:
    with pytest.raises(ValueError):
        cal.add_working_days(D("2026-03-02"), 0)
    with pytest.raises(TypeError):
        cal.is_working_day(datetime(2026, 2, 17, 9, 0))
    with pytest.raises(TypeError):
        cal.add_working_days(datetime(2026, 2, 13), 1)
    assert cal.working_days_between(D("2026-03-10"), D("2026-03-02")) == 0
    assert cal.working_days_between(D("2026-03-10"), D("2026-03-10")) == 0


_days = st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 31))


@given(start=st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 10, 31)),
       n=st.integers(min_value=1, max_value=40))
def test_add_and_between_agree(start: date, n: int) -> None:
    cal = load_calendar()
    due = cal.add_working_days(start, n)
    assert cal.is_working_day(due)
    assert cal.working_days_between(start, due) == n
    assert cal.working_days_between(start, due - timedelta(days=1)) == n - 1
    assert cal.next_working_day(start) == cal.add_working_days(start, 1)


@given(a=_days, b=_days, c=_days)
def test_between_is_additive(a: date, b: date, c: date) -> None:
    a, b, c = sorted((a, b, c))
    cal = load_calendar()
    whole = cal.working_days_between(a, c)
    assert whole == cal.working_days_between(a, b) + cal.working_days_between(b, c)


def test_shipped_json_is_well_formed() -> None:
    raw = json.loads(DEFAULT_CALENDAR_PATH.read_text(encoding="utf-8"))
    assert raw["timezone"] == "Asia/Ho_Chi_Minh" and raw["weekend"] == [5, 6]
    assert set(raw["years"]) == {"2025", "2026"}
    for key, year in raw["years"].items():
        assert year["source"].strip()
        hol = [e["date"] for e in year["holidays"]]
        work = [e["date"] for e in year["working_days"]]
        assert len(hol) == len(set(hol)) and len(work) == len(set(work))
        assert not set(hol) & set(work)
        for entry in year["holidays"] + year["working_days"]:
            assert D(entry["date"]).year == int(key)
            assert entry["name_vi"].strip() and entry["name_en"].strip()
        assert all(D(d).weekday() < 5 for d in hol), "holidays must be weekdays"
        assert all(D(d).weekday() in (5, 6) for d in work), "make-up days must be weekend days"
        assert all(e["reason"].strip() for e in year["working_days"])
        assert set(hol) == EXPECTED_HOLIDAYS[int(key)]
        assert set(work) == EXPECTED_WORKING_DAYS[int(key)]


def test_calendar_from_rows() -> None:
    cal = calendar_from_rows([(D("2026-01-01"), "holiday", "Tết Dương lịch"),
                              (D("2026-01-10"), "working_day")], years=[2026])
    assert not cal.is_working_day(D("2026-01-01")) and cal.is_working_day(D("2026-01-10"))
    assert cal.is_working_day(D("2026-01-02"))  # not listed here, so an ordinary Friday
    assert cal.names == {D("2026-01-01"): "Tết Dương lịch"}
    with pytest.raises(ValueError, match="kind"):
        calendar_from_rows([(D("2026-01-01"), "vacation")], years=[2026])
    with pytest.raises(ValueError, match="covered"):
        calendar_from_rows([(D("2027-01-01"), "holiday")], years=[2026])
    with pytest.raises(ValueError, match="both"):
        calendar_from_rows([(D("2026-01-03"), "holiday"), (D("2026-01-03"), "working_day")],
                           years=[2026])
    with pytest.raises(CalendarYearMissing):
        cal.is_working_day(D("2025-12-31"))
