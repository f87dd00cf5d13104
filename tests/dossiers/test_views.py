"""Dossier pages: the producer's tasks, the workflow buttons, and what each role may reach."""
from __future__ import annotations

import re

import pytest

from ocop_tracker.dossiers.models import Dossier
from ocop_tracker.dossiers.permissions import allowed_events, can_fire, can_view
from ocop_tracker.extensions import db
from ocop_tracker.products.models import ProductSet
from ocop_tracker.reviews.services import current_round
from ocop_tracker.workflow import EVENTS

from ..factories import BANANA, DISTRICT_ERA_DAY, TEA, dossier_in_state, fire, new_dossier


def _set_id(number: int) -> int:
    return db.session.scalar(db.select(ProductSet.id).filter_by(number=number))


def _event(client, dossier: Dossier, event: str, **fields):
    data = {f"{event}-version": dossier.version, **{f"{event}-{k}": v for k, v in fields.items()}}
    if event in ("submit", "resubmit"):
        data["declared"] = "y"  # the producer's declaration comes with every filing
    return client.post(f"/dossiers/{dossier.id}/events/{event}", data=data)


def test_producer_creates_a_dossier_and_sees_its_tasks(world, login_as):
    client = login_as("producer")
    response = client.post("/dossiers/open", data={"name": "Chè Shan tuyết", "product_set": _set_id(TEA),
                                                   "description": "Chè búp"})
    dossier = db.session.scalar(db.select(Dossier).order_by(Dossier.id.desc()))
    assert response.status_code == 302 and response.location == f"/dossiers/{dossier.id}"
    assert dossier.state == "draft" and dossier.product.organisation == world["producer"].organisation
    page = client.get(response.location).get_data(as_text=True)
    assert 'id="tasks"' in page and 'data-status="not_started"' in page and 'data-status="cannot_start"' in page


def test_a_fresh_produce_dossier_without_vietgap_can_still_be_submitted(world, login_as):
    """VietGAP earns points, never blocks: its task is optional and the last step opens without it."""
    dossier = new_dossier(world, set_number=BANANA)
    dossier.product.description = "Chuối tiêu hữu cơ"
    db.session.commit()
    page = login_as("producer").get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    start = page.index('id="tasks"')
    tasks = re.findall(r'data-status="([a-z_]+)"', page[start:page.index("</ol>", start)])
    assert tasks == ["completed", "completed", "optional", "optional", "not_started"]


def test_new_dossier_with_a_blank_name_keeps_the_form(world, login_as):
    response = login_as("producer").post("/dossiers/open", data={"name": "", "product_set": _set_id(TEA),
                                                                 "description": "Mô tả giữ lại"})
    assert response.status_code == 200 and "Mô tả giữ lại" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Dossier.id))) == 0


@pytest.mark.parametrize("who", ["officer", "chair", "admin"])
def test_only_producers_open_dossiers(world, login_as, who):
    response = login_as(who).post("/dossiers/open", data={"name": "X", "product_set": _set_id(TEA)})
    assert response.status_code == 403
    assert db.session.scalar(db.select(db.func.count(Dossier.id))) == 0


def test_a_filing_without_the_declaration_is_refused_even_through_the_event_route(world, login_as):
    dossier = new_dossier(world)
    db.session.commit()
    response = login_as("producer").post(f"/dossiers/{dossier.id}/events/submit", data={"submit-version": 1})
    assert response.status_code == 302 and response.location == f"/dossiers/{dossier.id}#event-submit"
    db.session.expire_all()
    assert (db.session.get(Dossier, dossier.id).state, current_round(dossier).declared_at) == ("draft", None)


def test_check_answers_then_submit_moves_the_dossier(world, login_as):
    dossier = new_dossier(world)
    db.session.commit()
    client = login_as("producer")
    page = client.get(f"/dossiers/{dossier.id}/check-answers").get_data(as_text=True)
    assert 'data-event="submit"' in page
    response = _event(client, dossier, "submit")
    assert response.status_code == 302
    db.session.refresh(dossier)
    assert dossier.state == "district_review" and dossier.history[-1].actor == world["producer"]


def test_submit_without_documents_says_what_is_missing_and_changes_nothing(world, login_as):
    dossier = new_dossier(world, documents=False)
    db.session.commit()
    client = login_as("producer")
    response = _event(client, dossier, "submit")
    assert response.status_code == 302  # post/redirect/get: a reload never posts again
    body = client.get(response.location).get_data(as_text=True)
    assert "Phiếu đăng ký đánh giá, phân hạng sản phẩm OCOP (Mẫu số 01)" in body
    db.session.refresh(dossier)
    assert dossier.state == "draft" and dossier.version == 1 and dossier.history == []


def test_stale_version_is_a_conflict(world, login_as):
    dossier = new_dossier(world)
    db.session.commit()
    client = login_as("producer")
    response = client.post(f"/dossiers/{dossier.id}/events/submit", data={"submit-version": 7, "declared": "y"})
    assert response.status_code == 302
    assert "Hồ sơ vừa được người khác thay đổi" in client.get(response.location).get_data(as_text=True)
    db.session.refresh(dossier)
    assert dossier.state == "draft"


def test_return_needs_a_reason_and_keeps_what_was_typed(world, login_as):
    dossier = dossier_in_state(world, "district_review")
    client = login_as("officer")
    response = _event(client, dossier, "return", comment="", received_on="2026-03-02")
    assert response.status_code == 302 and response.location == f"/dossiers/{dossier.id}#event-return"
    page = client.get(response.location).get_data(as_text=True)
    form = page[page.index('id="event-return"'):]
    form = form[:form.index("</form>")]
    assert 'value="2026-03-02"' in form and "invalid-feedback" in form
    db.session.refresh(dossier)
    assert dossier.state == "district_review"


def test_returned_dossier_shows_the_reasons_and_can_be_resubmitted(world, login_as, client):
    dossier = dossier_in_state(world, "district_review")
    assert _event(login_as("officer"), dossier, "return", comment="Bổ sung phiếu kiểm nghiệm").status_code == 302
    client.post("/logout")
    producer = login_as("producer")
    db.session.refresh(dossier)
    page = producer.get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    assert 'id="return-reasons"' in page and "Bổ sung phiếu kiểm nghiệm" in page
    assert _event(producer, dossier, "resubmit").status_code == 302
    db.session.refresh(dossier)
    assert dossier.state == "district_review"


def test_forward_with_a_paper_receipt_date_needs_a_reason(world, login_as):
    dossier = dossier_in_state(world, "district_review")  # received on the factories' DAY0, not today
    earlier = dossier.received_on.isoformat()
    officer = login_as("officer")
    refused = _event(officer, dossier, "forward", received_on=earlier)
    assert refused.status_code == 302 and "lý do / ghi chú" in officer.get(refused.location).get_data(as_text=True)
    db.session.refresh(dossier)
    assert dossier.state == "district_review"
    assert _event(officer, dossier, "forward", received_on=earlier, comment="Nhận bản giấy").status_code == 302
    db.session.refresh(dossier)
    assert dossier.state == "provincial_review" and dossier.received_on.isoformat() == earlier


def test_self_assessment_is_kept_within_part_maxima(world, login_as):
    dossier = new_dossier(world)  # a district-era round: three totals (rounds under QĐ 1489/26 use the sheet)
    fire(world, dossier, "submit", "producer", day=DISTRICT_ERA_DAY)
    fire(world, dossier, "return", "district_officer", day=DISTRICT_ERA_DAY, comment="Bổ sung")
    db.session.commit()
    client = login_as("producer")
    refused = client.post(f"/dossiers/{dossier.id}/self-assessment", data={"part_a": 41, "part_b": 20, "part_c": 30})
    assert refused.status_code == 302 and refused.location == f"/dossiers/{dossier.id}/self-assessment"
    page = client.get(refused.location).get_data(as_text=True)
    assert "phần A" in page and 'value="41"' in page  # said, and what was typed kept
    assert current_round(dossier).self_part_a is None
    client.post(f"/dossiers/{dossier.id}/self-assessment", data={"part_a": 30, "part_b": 20, "part_c": 25.5})
    db.session.expire_all()
    assert float(current_round(dossier).self_part_c) == 25.5


def test_product_set_is_fixed_after_submission(world, login_as):
    dossier = dossier_in_state(world, "returned")
    original = dossier.product.product_set_id
    client = login_as("producer")
    client.post(f"/dossiers/{dossier.id}/product", data={"name": "Tên mới", "product_set": _set_id(1),
                                                          "description": "x"})
    db.session.expire_all()
    assert dossier.product.product_set_id == original and dossier.product.name != "Tên mới"


def test_vietgap_record_from_the_form(world, login_as):
    dossier = new_dossier(world, set_number=1)
    db.session.commit()
    client = login_as("producer")
    client.post(f"/dossiers/{dossier.id}/vietgap", data={"certificate_no": "VG-9", "issuer": "VIETCERT",
                                                          "issued_on": "2026-01-05", "valid_until": "2025-01-01"})
    assert "VG-9" not in client.get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    client.post(f"/dossiers/{dossier.id}/vietgap", data={"certificate_no": "VG-9", "issuer": "VIETCERT",
                                                          "issued_on": "2026-01-05", "valid_until": "2029-01-05"})
    assert "VG-9" in client.get(f"/dossiers/{dossier.id}").get_data(as_text=True)


STATES_TO_PROBE = ("draft", "district_review", "returned", "star_rating", "certified", "central_review")
USERS = ("producer", "other_producer", "officer", "other_officer", "district_officer", "province_officer", "admin",
         "chair", "member", "district_chair")


@pytest.mark.parametrize("state", STATES_TO_PROBE)
def test_buttons_a_user_may_not_press_are_refused_and_change_nothing(world, app, state):
    dossier = dossier_in_state(world, state)
    for username in USERS:
        client = app.test_client()
        client.post("/login", data={"username": username, "password": "secret-pass-1"})
        allowed = set(allowed_events(world[username], dossier))
        for event in sorted(set(EVENTS) - allowed):
            before = (dossier.state, dossier.version)
            response = _event(client, dossier, event, comment="x", grounds="x", score="95")
            # Unseen is a 404; their role but not this state a conflict, said on the dossier page it redirects to;
            # not their role a 403. `decide` is never a button of the dossier page: decisions are recorded on the
            # decisions page, so it is a 403 here.
            user = world[username]
            expected = (404 if not can_view(user, dossier) else 403 if event == "decide"
                        else 302 if can_fire(user, dossier, event) else 403)
            assert response.status_code == expected, (username, state, event, response.status_code)
            db.session.refresh(dossier)
            assert (dossier.state, dossier.version) == before


@pytest.mark.parametrize("who, status", [("other_producer", 404), ("other_officer", 404), ("district_chair", 404),
                                         ("officer", 403)])
def test_pages_of_others_are_not_found_and_edits_refused(world, login_as, who, status):
    dossier = dossier_in_state(world, "returned")
    client = login_as(who)
    for path in ("product", "self-assessment", "vietgap"):
        assert client.post(f"/dossiers/{dossier.id}/{path}", data={"name": "Hack"}).status_code == status
    assert client.get(f"/dossiers/{dossier.id}").status_code == (200 if status == 403 else 404)
    db.session.expire_all()
    assert dossier.product.name != "Hack"


def test_decide_is_not_a_button_even_for_the_deciding_officer(world, login_as):
    dossier = dossier_in_state(world, "awaiting_decision")
    assert "decide" in allowed_events(world["province_officer"], dossier)
    before = (dossier.state, dossier.version)
    response = _event(login_as("province_officer"), dossier, "decide", outcome="recognise")
    assert response.status_code == 403  # one decision for many dossiers, recorded on the decisions page
    db.session.refresh(dossier)
    assert (dossier.state, dossier.version) == before


def test_officer_does_not_see_drafts_by_guessed_id(world, login_as):
    dossier = new_dossier(world)
    db.session.commit()
    assert login_as("officer").get(f"/dossiers/{dossier.id}").status_code == 404


def test_queue_filters_by_state_and_awaiting(world, login_as):
    waiting = dossier_in_state(world, "district_review")
    draft = new_dossier(world, name="Bản nháp riêng")
    db.session.commit()
    client = login_as("officer")
    page = client.get("/?due=awaiting").get_data(as_text=True)
    assert f'data-dossier="{waiting.id}"' in page and f'data-dossier="{draft.id}"' not in page
    assert f'data-dossier="{waiting.id}"' not in client.get("/?state=certified").get_data(as_text=True)
    assert client.get("/?received_from=not-a-date").status_code == 200


def test_product_page_shows_the_current_product_set(world, login_as):
    dossier = new_dossier(world)
    db.session.commit()
    page = login_as("producer").get(f"/dossiers/{dossier.id}/product").get_data(as_text=True)
    assert f'<option selected value="{_set_id(TEA)}">' in page


def test_producer_submits_from_check_answers_not_from_the_task_page(world, login_as):
    dossier = new_dossier(world)
    db.session.commit()
    client = login_as("producer")
    assert 'data-event="submit"' not in client.get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    assert 'data-event="submit"' in client.get(f"/dossiers/{dossier.id}/check-answers").get_data(as_text=True)
