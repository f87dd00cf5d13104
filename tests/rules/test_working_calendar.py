"""The calendar the administrators keep in the database: the shipped 2026 schedule, counting, editing it."""
from __future__ import annotations

from datetime import date

import pytest

from ocop_tracker.deadlines.services import first_level_dates
from ocop_tracker.extensions import db
from ocop_tracker.rules.models import CalendarDay, CalendarYear
from ocop_tracker.rules.services import (
    CalendarError,
    add_calendar_day,
    add_calendar_year,
    calendar_overview,
    remove_calendar_day,
    working_calendar,
)
from ocop_tracker.rules.working_days import CalendarYearMissing, load_calendar
from ocop_tracker.workflow import NotPermitted

D = date.fromisoformat


def test_database_calendar_is_the_shipped_file(app):
    shipped, kept = load_calendar(), working_calendar()
    assert (kept.holidays, kept.working_days, kept.years) == (shipped.holidays, shipped.working_days, shipped.years)
    assert kept.names[D("2026-08-31")].startswith("Nghỉ hoán đổi dịp Quốc khánh")


def test_received_friday_before_tet_2026_counts_from_monday_23_february(app):
    # Fri 13/02 received; Sat 14 – Sun 22/02 is the nine-day Tết break (five official days, no make-up day).
    assert first_level_dates(D("2026-02-13"), 15) == (D("2026-02-23"), D("2026-03-13"))
    for off in ("2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20"):
        assert not working_calendar().is_working_day(D(off))


def test_fifteen_working_days_from_9_february_2026_jump_the_tet_break(app):
    # Mon 09/02: 10-13/02 are days 1-4, Tết, 23-27/02 days 5-9, 02-06/03 days 10-14, Mon 09/03 day 15.
    assert first_level_dates(D("2026-02-09"), 15) == (D("2026-02-10"), D("2026-03-09"))
    assert working_calendar().working_days_between(D("2026-02-09"), D("2026-03-09")) == 15


def test_national_day_2026_works_saturday_22_august_and_rests_31_august_to_2_september(app):
    calendar = working_calendar()
    assert calendar.is_working_day(D("2026-08-22"))  # Saturday worked for Monday 31/08
    assert not any(calendar.is_working_day(D(f"2026-0{d}")) for d in ("8-29", "8-30", "8-31", "9-01", "9-02"))
    # Received Fri 21/08: Sat 22/08 is day 1, 24-28/08 days 2-6, 03-04/09 days 7-8, 07-11/09 days 9-13, 14-15/09.
    assert first_level_dates(D("2026-08-21"), 15) == (D("2026-08-22"), D("2026-09-15"))
    assert calendar.next_working_day(D("2026-08-28")) == D("2026-09-03")


def test_new_year_2026_swaps_friday_2_january_for_saturday_10_january(app):
    calendar = working_calendar()
    assert not calendar.is_working_day(D("2026-01-02")) and calendar.is_working_day(D("2026-01-10"))
    assert calendar.working_days_between(D("2025-12-31"), D("2026-01-10")) == 6  # 05-09/01 and Sat 10/01


def test_a_year_not_in_the_calendar_is_refused_not_guessed(app):
    with pytest.raises(CalendarYearMissing, match="2027"):
        working_calendar().add_working_days(D("2026-12-20"), 15)
    assert first_level_dates(D("2026-12-20"), 15) == (D("2026-12-21"), None)
    assert first_level_dates(D("2027-03-01"), 15) == (D("2027-03-02"), None)  # not even the first day is known


def test_added_year_counts_weekends_only_until_its_holidays_are_added(app, world):
    admin = world["admin"]
    add_calendar_year(actor=admin, year=2027, source="Thông báo của Bộ Nội vụ (thử)")
    assert first_level_dates(D("2026-12-20"), 15) == (D("2026-12-21"), D("2027-01-08"))
    new_year = add_calendar_day(actor=admin, day=D("2027-01-01"), kind="holiday", name_vi="Tết Dương lịch")
    assert first_level_dates(D("2026-12-20"), 15)[1] == D("2027-01-11")  # the cached calendar was refreshed
    remove_calendar_day(new_year, actor=admin)
    assert first_level_dates(D("2026-12-20"), 15)[1] == D("2027-01-08")
    overview = {y.year: (holidays, working) for y, holidays, working in calendar_overview()}
    assert overview == {2027: (0, 0), 2026: (13, 2), 2025: (12, 1)}


@pytest.mark.parametrize(("day", "kind", "name", "code"), [
    ("2026-08-29", "holiday", "Thứ Bảy", "holiday_on_weekend"),
    ("2026-11-25", "working_day", "Thứ Tư", "working_day_on_weekday"),
    ("2028-01-03", "holiday", "Năm chưa có", "year_missing"),
    ("2026-09-02", "holiday", "Trùng", "day_exists"),
    ("2026-11-24", "holiday", "  ", "name_required"),
    ("2026-11-24", "vacation", "Ngày Văn hóa Việt Nam", "unknown_kind"),
])
def test_calendar_day_rules(world, day, kind, name, code):
    before = db.session.scalar(db.select(db.func.count(CalendarDay.id)))
    with pytest.raises(CalendarError) as refused:
        add_calendar_day(actor=world["admin"], day=D(day), kind=kind, name_vi=name)
    assert refused.value.code == code
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(CalendarDay.id))) == before


def test_calendar_year_rules(world):
    with pytest.raises(CalendarError, match="already"):
        add_calendar_year(actor=world["admin"], year=2026)
    with pytest.raises(CalendarError) as refused:
        add_calendar_year(actor=world["admin"], year=20277)
    assert refused.value.code == "year_range"
    with pytest.raises(NotPermitted):
        add_calendar_year(actor=world["province_officer"], year=2027)
    db.session.rollback()
    assert db.session.get(CalendarYear, 2027) is None
