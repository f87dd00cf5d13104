"""A document flagged "needs supplement" holds the forward back (page and API) unless the officer overrides it with
a reason, which the history keeps."""
from __future__ import annotations

import pytest

from ocop_tracker.activity.models import ActivityRecord
from ocop_tracker.documents.services import current_documents, record_document_check
from ocop_tracker.dossiers.models import Dossier
from ocop_tracker.extensions import db
from ocop_tracker.workflow import GuardFailed

from ..factories import dossier_in_state, fire

FLAGGED = "Phiếu kết quả kiểm nghiệm"


@pytest.fixture()
def flagged(world):
    """A dossier at the commune's check whose test report the officer flagged."""
    dossier = dossier_in_state(world, "district_review")
    record_document_check(current_documents(dossier)["test_report"], actor=world["officer"],
                          outcome="needs_supplement", note="Phiếu hết hạn")
    db.session.commit()
    return dossier


def test_the_door_refuses_to_forward_past_a_flagged_document(world, flagged):
    with pytest.raises(GuardFailed) as refused:
        fire(world, flagged, "forward", "officer")
    assert refused.value.missing == ["needs_supplement:test_report"]
    assert "test_report" in refused.value.message and "override" in refused.value.message
    db.session.rollback()
    assert db.session.get(Dossier, flagged.id).state == "district_review"


def test_an_override_needs_its_reason(world, flagged):
    with pytest.raises(GuardFailed) as refused:
        fire(world, flagged, "forward", "officer", override=True)
    assert refused.value.missing == ["override_reason"]


def test_an_override_with_a_reason_forwards_and_keeps_it(world, flagged):
    record = fire(world, flagged, "forward", "officer", override=True, comment="Đã nhận bản giấy hợp lệ")
    assert flagged.state == "provincial_review" and record.comment == "Đã nhận bản giấy hợp lệ"
    logged = db.session.scalar(db.select(ActivityRecord).filter_by(action="dossier.forward_override"))
    assert logged.dossier_id == flagged.id and logged.data == {"documents": ["test_report"]}


def test_an_accepted_document_holds_nothing_back(world, flagged):
    record_document_check(current_documents(flagged)["test_report"], actor=world["officer"], outcome="accepted")
    fire(world, flagged, "forward", "officer")
    assert flagged.state == "provincial_review"


def test_the_page_warns_and_the_refusal_names_the_documents(world, login_as, flagged):
    client = login_as("officer")
    page = client.get(f"/dossiers/{flagged.id}").get_data(as_text=True)
    assert 'id="forward-flagged"' in page and FLAGGED in page and 'name="forward-override"' in page
    response = client.post(f"/dossiers/{flagged.id}/events/forward", data={"forward-version": flagged.version},
                           follow_redirects=True)
    body = response.get_data(as_text=True)
    assert "Chưa thể chuyển hồ sơ" in body and FLAGGED in body
    assert db.session.get(Dossier, flagged.id).state == "district_review"
    client.post(f"/dossiers/{flagged.id}/events/forward", data={
        "forward-version": flagged.version, "forward-override": "y", "forward-comment": "Đã nhận bản giấy"})
    assert db.session.get(Dossier, flagged.id).state == "provincial_review"


def test_the_api_refuses_with_the_documents_and_accepts_an_override(world, client, flagged):
    token = client.post("/api/v1/auth/token", json={"username": "officer", "password": "secret-pass-1"}).json["token"]
    headers = {"Authorization": f"Bearer {token}"}
    url = f"/api/v1/dossiers/{flagged.id}/events/forward"
    refused = client.post(url, json={"version": flagged.version}, headers=headers)
    assert refused.status_code == 422
    assert refused.json["error"]["details"]["missing"] == ["needs_supplement:test_report"]
    assert "test_report" in refused.json["error"]["message"]
    done = client.post(url, json={"version": flagged.version, "override": True, "comment": "Bản giấy hợp lệ"},
                       headers=headers)
    assert done.status_code == 200 and done.json["state"] == "provincial_review"
    assert done.json["history"][-1]["comment"] == "Bản giấy hợp lệ"


def test_a_page_without_flagged_documents_offers_no_override(world, login_as):
    dossier = dossier_in_state(world, "district_review")
    page = login_as("officer").get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    assert 'name="forward-override"' not in page and 'id="forward-flagged"' not in page
