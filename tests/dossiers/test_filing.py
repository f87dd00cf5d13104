"""Filing with the declaration (check-answers page and API) and the receipt it gives: page, PDF and mail."""
from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from pypdf import PdfReader

from ocop_tracker.activity.models import ActivityRecord
from ocop_tracker.clock import today
from ocop_tracker.deadlines.services import first_level_dates
from ocop_tracker.dossiers.filing import latest_receipt
from ocop_tracker.dossiers.models import Dossier
from ocop_tracker.extensions import db
from ocop_tracker.notifications.models import OutboxMail
from ocop_tracker.reviews.services import current_round

from ..factories import DAY0, PASSWORD, dossier_in_state, fire, new_dossier

DECLARATION = ("Tôi cam kết các thông tin và tài liệu trong hồ sơ là trung thực, chính xác "
               "và chịu trách nhiệm trước pháp luật.")
MISSING_DECLARATION = "lời cam kết thông tin và tài liệu trong hồ sơ là trung thực, chính xác"


def _file(client, dossier: Dossier, declared: bool = True, version: int | None = None):
    data = {"version": dossier.version if version is None else version, **({"declared": "y"} if declared else {})}
    return client.post(f"/dossiers/{dossier.id}/filing", data=data)


def _declarations(dossier: Dossier) -> list[ActivityRecord]:
    statement = db.select(ActivityRecord).filter_by(dossier_id=dossier.id, action="dossier.declare")
    return list(db.session.scalars(statement))


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@pytest.fixture()
def api(world, client):
    """api(who, method, path, **kwargs): a request with `who`'s bearer token."""
    tokens = {}

    def call(who: str, method: str, path: str, **kwargs):
        if who not in tokens:
            issued = client.post("/api/v1/auth/token", json={"username": who, "password": PASSWORD})
            tokens[who] = issued.get_json()["token"]
        return client.open(f"/api/v1{path}", method=method, headers={"Authorization": f"Bearer {tokens[who]}"},
                           **kwargs)
    return call


def test_check_answers_asks_for_the_declaration_before_the_button(world, login_as):
    dossier = new_dossier(world)
    db.session.commit()
    page = login_as("producer").get(f"/dossiers/{dossier.id}/check-answers").get_data(as_text=True)
    form = page[page.index('data-event="submit"'):]
    assert f'action="/dossiers/{dossier.id}/filing"' in page and DECLARATION in form
    assert form.index('name="declared"') < form.index("</button>")
    assert 'name="declared" id="declared"\n             value="y">' in form  # never ticked for the producer


def test_filing_without_the_declaration_is_refused_and_changes_nothing(world, login_as):
    dossier = new_dossier(world)
    db.session.commit()
    producer = login_as("producer")
    response = _file(producer, dossier, declared=False)
    assert response.status_code == 302 and response.location == f"/dossiers/{dossier.id}/check-answers#filing"
    body = producer.get(response.location).get_data(as_text=True)
    assert "Hãy đánh dấu vào ô cam kết trước khi nộp hồ sơ." in body and MISSING_DECLARATION in body
    assert 'aria-invalid="true"' in body
    db.session.expire_all()
    assert (dossier.state, dossier.version, dossier.history) == ("draft", 1, [])
    assert current_round(dossier).declared_at is None and _declarations(dossier) == []
    assert db.session.scalar(db.select(db.func.count(OutboxMail.id))) == 0


def test_the_declaration_is_named_with_the_missing_documents(world, login_as):
    dossier = new_dossier(world, documents=False)
    db.session.commit()
    producer = login_as("producer")
    response = _file(producer, dossier, declared=False)
    body = producer.get(response.location).get_data(as_text=True)
    assert response.status_code == 302 and MISSING_DECLARATION in body
    assert "Phiếu đăng ký đánh giá, phân hạng sản phẩm OCOP (Mẫu số 01)" in body


def test_filing_with_the_declaration_records_it_with_the_submission(world, login_as):
    dossier = new_dossier(world)
    db.session.commit()
    response = _file(login_as("producer"), dossier)
    assert response.status_code == 302 and response.location == f"/dossiers/{dossier.id}/receipt"
    db.session.expire_all()
    evaluation = current_round(dossier)
    assert dossier.state == "district_review" and dossier.version == 2
    assert evaluation.declared_by_id == world["producer"].id
    assert _aware(evaluation.declared_at) == _aware(dossier.history[-1].at)  # the same moment as the submission
    [declaration] = _declarations(dossier)
    assert declaration.actor_id == world["producer"].id and declaration.data == {"event": "submit", "round": 1}


def test_resubmission_needs_the_declaration_too(world, login_as):
    dossier = dossier_in_state(world, "returned")
    assert current_round(dossier).declared_at is None  # filed by the factories, without the page
    producer = login_as("producer")
    page = producer.get(f"/dossiers/{dossier.id}/check-answers").get_data(as_text=True)
    assert 'data-event="resubmit"' in page and DECLARATION in page
    assert _file(producer, dossier, declared=False).status_code == 302
    db.session.expire_all()
    assert dossier.state == "returned" and current_round(dossier).declared_at is None
    response = _file(producer, dossier)
    assert response.status_code == 302 and response.location.endswith("/receipt")
    db.session.expire_all()
    assert dossier.state == "district_review" and dossier.history[-1].event == "resubmit"
    assert current_round(dossier).declared_by_id == world["producer"].id
    assert [d.data["event"] for d in _declarations(dossier)] == ["resubmit"]


def test_a_stale_page_is_a_conflict_even_with_the_declaration(world, login_as):
    dossier = new_dossier(world)
    db.session.commit()
    producer = login_as("producer")
    for declared in (True, False):  # the door speaks first, declaration or not
        response = _file(producer, dossier, declared=declared, version=7)
        assert response.status_code == 302
        body = producer.get(response.location).get_data(as_text=True)
        assert "Hồ sơ vừa được người khác thay đổi" in body and "Hãy đánh dấu vào ô cam kết" not in body
    db.session.expire_all()
    assert dossier.state == "draft" and current_round(dossier).declared_at is None


@pytest.mark.parametrize("who", ["officer", "other_producer"])
def test_only_the_producer_files(world, login_as, who):
    dossier = dossier_in_state(world, "returned")
    assert _file(login_as(who), dossier).status_code in (403, 404)
    db.session.expire_all()
    assert dossier.state == "returned"


def test_api_submit_with_declared_true_records_the_declaration(world, api):
    dossier = new_dossier(world)
    db.session.commit()
    response = api("producer", "POST", f"/dossiers/{dossier.id}/events/submit",
                   json={"version": dossier.version, "declared": True})
    assert response.status_code == 200, response.get_json()
    db.session.expire_all()
    assert dossier.state == "district_review" and current_round(dossier).declared_by_id == world["producer"].id
    assert len(_declarations(dossier)) == 1


def test_api_submit_without_declared_files_as_before_and_records_none(world, api):
    dossier = new_dossier(world)
    db.session.commit()
    response = api("producer", "POST", f"/dossiers/{dossier.id}/events/submit", json={"version": dossier.version})
    assert response.status_code == 200
    db.session.expire_all()
    assert dossier.state == "district_review" and current_round(dossier).declared_at is None
    assert _declarations(dossier) == []


def test_api_declared_false_is_refused_and_changes_nothing(world, api):
    dossier = dossier_in_state(world, "returned")
    version = dossier.version
    response = api("producer", "POST", f"/dossiers/{dossier.id}/events/resubmit",
                   json={"version": version, "declared": False})
    assert response.status_code == 422 and "declaration" in response.get_json()["error"]["details"]["missing"]
    db.session.expire_all()
    assert (dossier.state, dossier.version) == ("returned", version)
    ok = api("producer", "POST", f"/dossiers/{dossier.id}/events/resubmit",
             json={"version": version, "declared": True, "comment": "Đã bổ sung"})
    assert ok.status_code == 200 and ok.get_json()["state"] == "district_review"
    db.session.expire_all()
    assert dossier.history[-1].comment == "Đã bổ sung" and current_round(dossier).declared_at is not None


def test_api_declared_is_only_for_filings(world, api):
    dossier = dossier_in_state(world, "district_review")
    response = api("officer", "POST", f"/dossiers/{dossier.id}/events/forward",
                   json={"version": dossier.version, "declared": True})
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "unknown_fields"


def test_receipt_page_shows_the_code_unit_and_dates(world, login_as):
    dossier = dossier_in_state(world, "district_review")  # filed on DAY0, 02/03/2026
    page = login_as("producer").get(f"/dossiers/{dossier.id}/receipt").get_data(as_text=True)
    assert 'id="receipt-panel"' in page and "Đã nộp hồ sơ" in page
    assert f'<p class="fs-2 fw-bold mb-0" id="receipt-code">HS-{dossier.id}</p>' in page
    assert '<dd class="col-sm-7" id="receipt-received">02/03/2026</dd>' in page
    assert '<dd class="col-sm-7" id="receipt-unit">UBND xã Liên Sơn</dd>' in page
    assert "23/03/2026" in page[page.index('id="receipt-due"'):]  # 15 working days, as the deadline pages say
    assert "UBND xã Liên Sơn kiểm tra hồ sơ trong 15 ngày làm việc" in page
    assert "Bạn sẽ nhận thư khi hồ sơ có kết quả kiểm tra." in page
    assert f'href="/dossiers/{dossier.id}/receipt.pdf"' in page


def test_receipt_after_filing_from_the_page_shows_today_and_the_open_check(world, login_as):
    dossier = new_dossier(world)
    db.session.commit()
    producer = login_as("producer")
    page = producer.get(_file(producer, dossier).location).get_data(as_text=True)
    starts_on, due_on = first_level_dates(today(), 15)
    assert today().strftime("%d/%m/%Y") in page[page.index('id="receipt-received"'):]
    due = page[page.index('id="receipt-due"'):page.index("</dd>", page.index('id="receipt-due"'))]
    assert (due_on.strftime("%d/%m/%Y") if due_on else f"chưa có lịch làm việc năm {starts_on.year}") in due


def test_receipt_shows_the_latest_filing_a_resubmission(world, login_as):
    dossier = dossier_in_state(world, "returned")  # returned on DAY0
    fire(world, dossier, "resubmit", "producer", day=date(2026, 3, 9))
    db.session.commit()
    receipt = latest_receipt(dossier)
    assert receipt.filing.event == "resubmit" and receipt.received_on == date(2026, 3, 9)
    assert receipt.due_on == first_level_dates(date(2026, 3, 9), 15)[1]
    page = login_as("producer").get(f"/dossiers/{dossier.id}/receipt").get_data(as_text=True)
    assert "Đã nộp lại hồ sơ" in page and "09/03/2026" in page and receipt.due_on.strftime("%d/%m/%Y") in page


def test_receipt_due_date_waits_for_a_missing_calendar_year(world, login_as):
    dossier = dossier_in_state(world, "district_review", day=date(2026, 12, 21))  # 15 working days reach 2027
    receipt = latest_receipt(dossier)
    assert receipt.due_on is None and receipt.missing_year == 2027
    page = login_as("producer").get(f"/dossiers/{dossier.id}/receipt").get_data(as_text=True)
    assert "chưa có lịch làm việc năm 2027" in page[page.index('id="receipt-due"'):]


def test_receipt_pdf_is_a_pdf_with_the_code_and_the_dates(world, login_as):
    dossier = dossier_in_state(world, "district_review")
    response = login_as("producer").get(f"/dossiers/{dossier.id}/receipt.pdf")
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    assert f'filename="HS-{dossier.id}.pdf"' in response.headers["Content-Disposition"]
    text = " ".join(PdfReader(io.BytesIO(response.data)).pages[0].extract_text().split())
    for expected in ("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", f"Mã hồ sơ HS-{dossier.id}", "Chè Mỹ Tân",
                     "HTX Chuối Viba", "UBND xã Liên Sơn", "Ngày tiếp nhận 02/03/2026",
                     "Hẹn trả kết quả kiểm tra 23/03/2026 (15 ngày làm việc)", "QĐ 1489"):
        assert expected in text, expected


def test_receipt_is_for_those_who_may_see_the_dossier(world, login_as, browser):
    dossier = dossier_in_state(world, "district_review")
    assert login_as("officer").get(f"/dossiers/{dossier.id}/receipt").status_code == 200
    for outsider in ("other_producer", "other_officer"):
        other = browser(outsider)
        assert other.get(f"/dossiers/{dossier.id}/receipt").status_code == 404
        assert other.get(f"/dossiers/{dossier.id}/receipt.pdf").status_code == 404


def test_a_dossier_never_filed_has_no_receipt(world, login_as):
    dossier = new_dossier(world)
    db.session.commit()
    producer = login_as("producer")
    assert producer.get(f"/dossiers/{dossier.id}/receipt").status_code == 404
    assert producer.get(f"/dossiers/{dossier.id}/receipt.pdf").status_code == 404


def test_received_mail_carries_the_code_the_receipt_link_and_the_due_date(world):
    dossier = new_dossier(world)
    fire(world, dossier, "submit", "producer", day=DAY0)
    mail = db.session.scalar(db.select(OutboxMail).filter_by(kind="event.submit", to_address="producer@test.local"))
    link = f"/dossiers/{dossier.id}/receipt"
    for part in (mail.body_text, mail.body_html):
        assert f"Mã hồ sơ của bạn là HS-{dossier.id}." in part and link in part and "23/03/2026" in part
