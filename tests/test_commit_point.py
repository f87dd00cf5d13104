"""One refusal type and one commit point: a refused or failed change leaves nothing half-written, a page says why,
the API answers with the contract's status, code and body, and only a committed change gets its log line."""
from __future__ import annotations

import logging

import pytest

from ocop_tracker.accounts.services import AccountError
from ocop_tracker.api.errors import ApiError
from ocop_tracker.decisions.models import RecognitionDecision
from ocop_tracker.decisions.services import DecisionRefused
from ocop_tracker.documents.filetypes import DocumentRefused
from ocop_tracker.dossiers.models import Dossier, TransitionRecord
from ocop_tracker.extensions import db
from ocop_tracker.notifications.models import OutboxMail
from ocop_tracker.refusals import NotVisible, Refusal
from ocop_tracker.registry.models import Certificate
from ocop_tracker.rules.services import CalendarError
from ocop_tracker.signals import transition_applied
from ocop_tracker.workflow import EventNotAllowed, GuardFailed, NotPermitted, StaleVersion

from .api.test_contract_journey import Api
from .factories import DAY0, dossier_in_state

CHANGE_LOG = "ocop_tracker.activity.log_lines"


@pytest.fixture()
def app_config() -> dict:
    """Not in testing mode, so an unexpected exception reaches the 500 page as in production."""
    return {"TESTING": False, "TODAY": DAY0}


def _counts() -> tuple[int, int, int, int]:
    """Rows a recorded decision writes: the decision, `decide` history rows, certificates, event mails."""
    db.session.expire_all()
    count = db.func.count()
    return (db.session.scalar(db.select(count).select_from(RecognitionDecision)),
            db.session.scalar(db.select(count).select_from(TransitionRecord).filter_by(event="decide")),
            db.session.scalar(db.select(count).select_from(Certificate)),
            db.session.scalar(db.select(count).select_from(OutboxMail).filter_by(kind="event.decide")))


def _two_waiting(world) -> tuple[Dossier, Dossier]:
    return dossier_in_state(world, "awaiting_decision"), dossier_in_state(world, "awaiting_decision")


def _log_lines(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == CHANGE_LOG]


@pytest.mark.parametrize(("refusal", "code", "status"), [
    (NotPermitted("no"), "forbidden", 403),
    (EventNotAllowed("no"), "event_not_allowed", 409),
    (StaleVersion("no"), "stale_version", 409),
    (GuardFailed("no", ["label"]), "guard_failed", 422),
    (DocumentRefused("too_large", "no"), "too_large", 413),
    (DecisionRefused("no", 409, {"items": []}), "decision_refused", 409),
    (AccountError("no", "username_taken", username="a"), "username_taken", 422),
    (CalendarError("no", "year_exists", year=2026), "year_exists", 422),
    (ApiError(400, "malformed_json", "no"), "malformed_json", 400),
    (NotVisible("no"), "not_found", 404),
])
def test_every_refusal_family_is_one_refusal_with_its_code_and_status(refusal, code, status):
    assert isinstance(refusal, Refusal)
    assert (refusal.code, refusal.status, refusal.message) == (code, status, "no")


def test_a_refusal_on_a_page_rolls_back_what_was_written_before_it_and_says_why(world, login_as, caplog):
    first, second = _two_waiting(world)
    before = _counts()
    caplog.set_level(logging.INFO, logger=CHANGE_LOG)
    caplog.clear()  # what the set-up committed
    response = login_as("province_officer").post("/decisions/record", data={
        "number": "15/QĐ-UBND", "signed_on": DAY0.isoformat(), "signer": "Nguyễn Văn A",
        f"outcome-{first.id}": "recognise", f"version-{first.id}": first.version,
        f"outcome-{second.id}": "recognise", f"version-{second.id}": second.version - 1})  # stale: refused
    assert response.status_code == 422
    assert "Không thể thực hiện thao tác." in response.get_data(as_text=True)
    # The decision and the first dossier's `decide` (its certificate and mails) were flushed before the refusal.
    assert _counts() == before
    assert {db.session.get(Dossier, d.id).state for d in (first, second)} == {"awaiting_decision"}
    assert _log_lines(caplog) == []  # nothing committed, nothing logged as done


def test_the_same_refusal_through_the_api_gives_the_contracts_error(app, world, client, caplog):
    first, second = _two_waiting(world)
    before = _counts()
    api = Api(app, client)
    api.sign_in("province_officer")
    caplog.set_level(logging.INFO, logger=CHANGE_LOG)
    caplog.clear()  # what the set-up committed
    body = api.json("province_officer", "POST", "/decisions", 409, json={
        "number": "15/QĐ-UBND", "signed_on": DAY0.isoformat(), "signer": "Nguyễn Văn A",
        "items": [{"dossier_id": first.id, "version": first.version, "outcome": "recognise"},
                  {"dossier_id": second.id, "version": second.version - 1, "outcome": "recognise"}]})
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == "decision_refused"
    assert [(item["dossier_id"], item["code"], item["status"]) for item in body["error"]["details"]["items"]] == [
        (second.id, "stale_version", 409)]
    assert _counts() == before
    assert _log_lines(caplog) == []


def test_a_committed_change_logs_one_line_per_change(world, login_as, caplog):
    first = dossier_in_state(world, "awaiting_decision")
    caplog.set_level(logging.INFO, logger=CHANGE_LOG)
    caplog.clear()  # what the set-up committed
    response = login_as("province_officer").post("/decisions/record", data={
        "number": "16/QĐ-UBND", "signed_on": DAY0.isoformat(), "signer": "Nguyễn Văn A",
        f"outcome-{first.id}": "recognise", f"version-{first.id}": first.version})
    assert response.status_code == 302
    lines = _log_lines(caplog)
    assert [line.split(" by ")[0] for line in lines] == ["decide", "decisions.record"]
    assert f"dossier={first.id} awaiting_decision -> certified" in lines[0]


def test_an_unexpected_failure_rolls_back_and_gives_the_500_page_without_a_half_written_row(world, login_as):
    dossier = dossier_in_state(world, "certified")
    version = dossier.version

    def broken_mail(_stage, **_kwargs):
        raise RuntimeError("the outbox is broken")  # after the state, history and certificate were flushed

    transition_applied.connect(broken_mail, sender="mails")
    try:
        response = login_as("province_officer").post(f"/dossiers/{dossier.id}/events/revoke", data={
            "revoke-version": version, "revoke-grounds": "Vi phạm nhãn"})
    finally:
        transition_applied.disconnect(broken_mail, sender="mails")
    assert response.status_code == 500
    assert "không có thay đổi nào được lưu" in response.get_data(as_text=True)
    db.session.expire_all()
    dossier = db.session.get(Dossier, dossier.id)
    assert (dossier.state, dossier.version) == ("certified", version)
    assert db.session.scalar(db.select(db.func.count()).select_from(TransitionRecord)
                             .filter_by(dossier_id=dossier.id, event="revoke")) == 0
    assert db.session.scalar(db.select(Certificate.status).filter_by(dossier_id=dossier.id)) == "valid"


def test_a_refusal_no_view_said_gets_the_error_page_with_its_status_and_nothing_written(app, world, login_as):
    dossier_id = dossier_in_state(world, "draft").id

    def half_done():  # a page that writes, then meets a refusal it does not turn into a message itself
        db.session.get(Dossier, dossier_id).product.name = "Ghi dở"
        db.session.flush()
        raise GuardFailed("the label is missing", ["label"])

    app.add_url_rule("/test/half-done", "half_done", half_done, methods=["POST"])
    response = login_as("producer").post("/test/half-done")
    assert response.status_code == 422
    assert "Không thể thực hiện thao tác." not in response.get_data(as_text=True)  # the family's own sentence
    assert "Còn thiếu" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Dossier, dossier_id).product.name != "Ghi dở"
