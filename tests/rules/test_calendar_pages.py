"""The calendar's administration pages: administrators only, the rules said on the page, due dates following."""
from __future__ import annotations

from datetime import date

import pytest

from ocop_tracker.deadlines.models import Deadline
from ocop_tracker.extensions import db
from ocop_tracker.rules.models import CalendarDay, CalendarYear

from ..factories import fire, new_dossier


def calendar_snapshot() -> tuple:
    db.session.expire_all()
    years = [(y.year, y.source) for y in db.session.scalars(db.select(CalendarYear).order_by(CalendarYear.year))]
    days = [(d.day, d.kind, d.name_vi) for d in db.session.scalars(db.select(CalendarDay).order_by(CalendarDay.day))]
    return years, days


def calendar_urls() -> list[tuple[str, str]]:
    day = db.session.scalar(db.select(CalendarDay).filter_by(day=date(2026, 9, 2)))
    return [("GET", "/admin/calendar"), ("POST", "/admin/calendar"), ("GET", "/admin/calendar/2026"),
            ("POST", "/admin/calendar/2026/days"), ("POST", f"/admin/calendar/2026/days/{day.id}/remove"),
            ("POST", "/admin/calendar/2026/source")]


@pytest.mark.parametrize("username", ["producer", "officer", "province_officer", "chair"])
def test_calendar_pages_are_404_for_everyone_but_administrators(world, login_as, username):
    client = login_as(username)
    before = calendar_snapshot()
    hostile = {"year": 2027, "source": "x", "day": "2026-11-24", "kind": "holiday", "name_vi": "Ngày Văn hóa"}
    for method, url in calendar_urls():
        assert client.open(url, method=method, data=hostile).status_code == 404, (method, url)
    assert calendar_snapshot() == before


def test_calendar_lists_the_years_with_their_counts(world, login_as):
    page = login_as("admin").get("/admin/calendar").get_data(as_text=True)
    assert 'data-year="2026"' in page and 'data-year="2025"' in page
    assert "<td>13</td>" in page and "<td>2</td>" in page
    assert "chỉ thứ Bảy và Chủ nhật là ngày nghỉ" in page  # what adding an empty year means


def test_year_page_names_each_holiday_and_make_up_day(world, login_as):
    page = login_as("admin").get("/admin/calendar/2026").get_data(as_text=True)
    assert 'data-day="2026-02-17"' in page and "Mùng 1 Tết Bính Ngọ" in page
    assert 'data-day="2026-08-22"' in page and "Thứ Bảy 22/08/2026" in page
    assert "Làm bù cho thứ Hai 31/8/2026" in page
    assert login_as("admin").get("/admin/calendar/2031").status_code == 404


def test_adding_a_year_then_its_days(world, login_as):
    client = login_as("admin")
    response = client.post("/admin/calendar", data={"year": 2027, "source": "TB thử"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/calendar/2027")
    assert "chưa có ngày nào" in client.get("/admin/calendar/2027").get_data(as_text=True)
    response = client.post("/admin/calendar/2027/days", data={
        "day": "2027-01-01", "kind": "holiday", "name_vi": "Tết Dương lịch", "name_en": "New Year's Day"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(CalendarYear, 2027).source == "TB thử"
    assert db.session.scalar(db.select(CalendarDay).filter_by(day=date(2027, 1, 1))).name_en == "New Year's Day"


@pytest.mark.parametrize(("data", "message"), [
    ({"day": "2026-11-25", "kind": "working_day", "name_vi": "Làm bù"}, "Ngày làm bù phải là thứ Bảy hoặc Chủ nhật."),
    ({"day": "2026-11-28", "kind": "holiday", "name_vi": "Nghỉ"}, "Ngày nghỉ lễ phải là một ngày từ thứ Hai đến thứ Sáu"),
    ({"day": "2028-01-03", "kind": "holiday", "name_vi": "Nghỉ"}, "Năm 2028 chưa có trong lịch"),
    ({"day": "2026-09-02", "kind": "holiday", "name_vi": "Quốc khánh"}, "Ngày này đã có trong lịch."),
    ({"day": "", "kind": "holiday", "name_vi": "Nghỉ"}, 'class="form-control is-invalid" id="day"'),
])
def test_refused_days_say_why_and_change_nothing(world, login_as, data, message):
    client = login_as("admin")
    before = calendar_snapshot()
    response = client.post("/admin/calendar/2026/days", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert calendar_snapshot() == before


def test_refused_years_say_why(world, login_as):
    client = login_as("admin")
    assert "Năm 2026 đã có trong lịch." in client.post("/admin/calendar", data={"year": 2026}).get_data(as_text=True)
    assert "Năm phải từ 2000 đến 2100." in client.post("/admin/calendar", data={"year": 1999}).get_data(as_text=True)


def test_removing_a_day_moves_the_open_due_dates(app, world, login_as):
    dossier = new_dossier(world)
    fire(world, dossier, "submit", "producer", day=date(2026, 8, 21))
    db.session.commit()
    deadline = db.session.scalar(db.select(Deadline).filter_by(dossier_id=dossier.id))
    assert deadline.due_on == date(2026, 9, 15)
    day = db.session.scalar(db.select(CalendarDay).filter_by(day=date(2026, 9, 1)))
    assert login_as("admin").post(f"/admin/calendar/2026/days/{day.id}/remove").status_code == 302
    db.session.refresh(deadline)
    assert deadline.due_on == date(2026, 9, 14)  # 1 September counts as a working day now
