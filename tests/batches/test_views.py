"""Evaluation batches: the province's OCOP office opens, lists and closes them; nobody else reaches the pages."""
from __future__ import annotations

import re
from datetime import date

import pytest

from ocop_tracker.accounts.models import AdministrativeUnit
from ocop_tracker.accounts.services import create_user
from ocop_tracker.batches.services import SuggestedBatch, close_batch, open_batch, suggested_batches
from ocop_tracker.extensions import db
from ocop_tracker.reviews.models import EvaluationBatch
from ocop_tracker.workflow import EventNotAllowed, GuardFailed, NotPermitted

from ..factories import PASSWORD, QD26_DAY, dossier_in_state


def batch_named(name: str) -> EvaluationBatch | None:
    db.session.expire_all()
    return db.session.scalar(db.select(EvaluationBatch).filter_by(name=name))


def batch_count() -> int:
    return db.session.scalar(db.select(db.func.count(EvaluationBatch.id)))


def listed_rows(client) -> dict[str, str]:
    """Batch name → its row's HTML on the list page."""
    response = client.get("/batches/")
    assert response.status_code == 200
    rows = re.findall(r'<tr data-batch="\d+">(.*?)</tr>', response.get_data(as_text=True), re.DOTALL)
    return {re.search(r'fw-semibold">([^<]+)<', row).group(1): row for row in rows}


def test_list_shows_the_batch_with_dates_and_counts(world, login_as):
    dossier_in_state(world, "star_rating", day=QD26_DAY)  # admitted, its council still scoring
    dossier_in_state(world, "certified", day=QD26_DAY)  # admitted and decided
    row = listed_rows(login_as("province_officer"))["Đợt 2 năm 2026"]
    assert "30/10/2026" in row and "30/12/2026" in row and "Đang mở" in row
    assert 'data-admitted="2"' in row and 'data-pending="1"' in row


def test_open_batch_is_listed(world, login_as):
    client = login_as("province_officer")
    response = client.post("/batches/open", data={"name": " Đợt 1  năm 2027 ", "filing_cutoff": "2027-04-30",
                                                  "decision_due": "2027-06-30"})
    assert response.status_code == 302 and response.location == "/batches/"
    batch = batch_named("Đợt 1 năm 2027")
    assert (batch.unit_id, batch.filing_cutoff, batch.decision_due, batch.closed_on) == (
        world.province.id, date(2027, 4, 30), date(2027, 6, 30), None)
    page = client.get("/batches/").get_data(as_text=True)
    assert "Đã mở Đợt 1 năm 2027." in page and "30/04/2027" in page


def test_admin_of_the_province_opens_a_batch(world, login_as):
    response = login_as("admin").post("/batches/open", data={"name": "Đợt bổ sung", "filing_cutoff": "2026-12-15",
                                                             "decision_due": "2027-02-15"})
    assert response.status_code == 302 and batch_named("Đợt bổ sung") is not None


@pytest.mark.parametrize("data, error", [
    ({"name": "Đợt 3", "filing_cutoff": "2027-07-01", "decision_due": "2027-06-30"},
     "Hạn nộp hồ sơ không được sau hạn quyết định công nhận."),
    ({"name": "Đợt 2 năm 2026", "filing_cutoff": "2027-04-30", "decision_due": "2027-06-30"},
     "Tỉnh đã có một đợt đánh giá mang tên này."),
])
def test_open_batch_refused(world, login_as, data, error):
    response = login_as("province_officer").post("/batches/open", data=data)
    assert response.status_code == 422 and error in response.get_data(as_text=True)
    assert batch_count() == 1


def test_batch_services_guard_their_rules(world):
    with pytest.raises(GuardFailed) as refused:
        open_batch(actor=world["province_officer"], unit=world.province, name="Đợt 2 năm 2026",
                   filing_cutoff=date(2027, 7, 1), decision_due=date(2027, 6, 30))
    assert refused.value.missing == ["batch_name", "decision_due"]
    with pytest.raises(NotPermitted):
        open_batch(actor=world["officer"], unit=world.province, name="Đợt 3",
                   filing_cutoff=date(2027, 4, 30), decision_due=date(2027, 6, 30))
    batch = batch_named("Đợt 2 năm 2026")
    close_batch(batch, actor=world["admin"], today=date(2026, 11, 30))
    with pytest.raises(EventNotAllowed):
        close_batch(batch, actor=world["admin"], today=date(2026, 12, 1))


@pytest.mark.parametrize("today, expected", [
    (date(2026, 1, 15), [SuggestedBatch("Đợt 1 năm 2026", date(2026, 4, 30), date(2026, 6, 30)),
                         SuggestedBatch("Đợt 1 năm 2027", date(2027, 4, 30), date(2027, 6, 30))]),
    (date(2026, 6, 1), [SuggestedBatch("Đợt 1 năm 2027", date(2027, 4, 30), date(2027, 6, 30)),
                        SuggestedBatch("Đợt 2 năm 2027", date(2027, 10, 30), date(2027, 12, 30))]),
])
def test_suggested_batches_follow_the_qd26_periods_not_yet_opened(world, today, expected):
    assert suggested_batches(world.province, today) == expected


def test_new_batch_form_is_prefilled_from_the_suggestion(app, world, login_as):
    app.config["TODAY"] = "2026-06-01"  # 30/4 has passed and 30/10/2026 is already opened
    client = login_as("province_officer")
    page = client.get("/batches/open").get_data(as_text=True)
    assert 'value="Đợt 1 năm 2027"' in page
    assert 'value="2027-04-30"' in page and 'value="2027-06-30"' in page
    second = client.get("/batches/open?pick=1").get_data(as_text=True)
    assert 'value="Đợt 2 năm 2027"' in second and 'value="2027-10-30"' in second


def test_close_batch_then_closing_again_is_refused(app, world, login_as):
    app.config["TODAY"] = "2026-11-30"
    client = login_as("province_officer")
    batch = batch_named("Đợt 2 năm 2026")
    assert client.post(f"/batches/{batch.id}/close").status_code == 302
    assert batch_named("Đợt 2 năm 2026").closed_on == date(2026, 11, 30)
    assert "Đã đóng ngày 30/11/2026" in listed_rows(client)["Đợt 2 năm 2026"]
    app.config["TODAY"] = "2026-12-01"
    page = client.post(f"/batches/{batch.id}/close", follow_redirects=True).get_data(as_text=True)
    assert "Đợt 2 năm 2026 đã đóng từ ngày 30/11/2026." in page
    assert batch_named("Đợt 2 năm 2026").closed_on == date(2026, 11, 30)


@pytest.mark.parametrize("username", ["officer", "district_officer", "producer", "chair"])
def test_only_the_province_office_reaches_the_pages(world, login_as, username):
    client = login_as(username)
    batch_id = batch_named("Đợt 2 năm 2026").id
    assert client.get("/batches/").status_code == 403
    assert client.get("/batches/open").status_code == 403
    assert client.post("/batches/open", data={"name": "X", "filing_cutoff": "2027-04-30",
                                              "decision_due": "2027-06-30"}).status_code == 403
    assert client.post(f"/batches/{batch_id}/close").status_code == 403
    assert batch_count() == 1 and batch_named("Đợt 2 năm 2026").closed_on is None
    assert 'href="/batches/"' not in client.get("/").get_data(as_text=True)


def test_another_province_cannot_close_the_batch(world, login_as):
    other = AdministrativeUnit(code="Q", name="Tuyên Quang", level="province", path="")
    db.session.add(other)
    db.session.flush()
    other.path = f"/{other.id}/"
    create_user(username="q_officer", password=PASSWORD, role="officer", unit=other)
    db.session.commit()
    client = login_as("q_officer")
    assert listed_rows(client) == {}
    assert client.post(f"/batches/{batch_named('Đợt 2 năm 2026').id}/close").status_code == 403
    assert batch_named("Đợt 2 năm 2026").closed_on is None


def test_nav_links_the_batches_for_the_province_office(world, login_as):
    assert 'href="/batches/"' in login_as("province_officer").get("/").get_data(as_text=True)
