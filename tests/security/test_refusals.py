"""Refusals keep what they say beside the body (405's Allow) and leave a trace of who probed what (issue 11.10–11)."""
from __future__ import annotations

import logging

import pytest

from ocop_tracker.api.tokens import issue_api_token
from ocop_tracker.decisions.models import DecisionItem
from ocop_tracker.documents.services import current_documents
from ocop_tracker.extensions import db

from ..factories import dossier_in_state


def _allowed(response) -> set[str]:
    return {method.strip() for method in response.headers.get("Allow", "").split(",") if method.strip()}


def test_a_web_405_names_the_methods_the_address_takes(world, login_as):
    response = login_as("officer").delete("/reports")
    assert response.status_code == 405
    assert _allowed(response) == {"GET", "HEAD", "OPTIONS"}
    assert "text/html" in response.content_type


def test_an_api_405_names_the_methods_and_answers_in_json(client):
    response = client.delete("/api/v1/dossiers")
    assert response.status_code == 405
    assert _allowed(response) == {"GET", "HEAD", "OPTIONS", "POST"}
    assert response.get_json()["error"]["code"] == "method_not_allowed"


def _token(world, who: str) -> str:
    raw, _token = issue_api_token(world[who], actor=world[who])
    db.session.commit()
    return raw


def _denials(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records
            if record.name == "ocop_tracker.errors" and record.getMessage().startswith("denied")]


@pytest.fixture()
def certified(world):
    return dossier_in_state(world, "certified")


def test_denials_of_dossiers_documents_and_decisions_on_the_web_are_logged(world, login_as, certified, caplog):
    caplog.set_level(logging.WARNING, logger="ocop_tracker.errors")
    outsider = world["other_producer"]
    document = current_documents(certified)["registration_form"]
    decision_id = db.session.scalar(db.select(DecisionItem.decision_id).filter_by(dossier_id=certified.id))
    client = login_as("other_producer")
    paths = [f"/dossiers/{certified.id}", f"/dossiers/{certified.id}/documents/{document.id}/file",
             f"/decisions/{decision_id}"]
    for path in paths:
        assert client.get(path).status_code == 404
    assert login_as("producer").post(f"/dossiers/{certified.id}/documents/{document.id}/check").status_code == 403
    assert _denials(caplog) == [f"denied 404 GET {path} to user {outsider.id}" for path in paths] + [
        f"denied 403 POST /dossiers/{certified.id}/documents/{document.id}/check to user {world['producer'].id}"]


def test_api_denials_are_logged_without_the_query_string(world, client, certified, caplog):
    caplog.set_level(logging.WARNING, logger="ocop_tracker.errors")
    raw = _token(world, "other_officer")
    response = client.get(f"/api/v1/dossiers/{certified.id}?token=secret-in-the-address",
                          headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 404
    assert _denials(caplog) == [f"denied 404 GET /api/v1/dossiers/{certified.id} to user {world['other_officer'].id}"]
    assert "secret-in-the-address" not in caplog.text and raw not in caplog.text


def test_pages_shown_and_other_paths_are_not_logged_as_denials(world, login_as, certified, caplog):
    caplog.set_level(logging.WARNING, logger="ocop_tracker.errors")
    client = login_as("producer")
    assert client.get(f"/dossiers/{certified.id}").status_code == 200
    assert client.get("/admin/users").status_code == 404  # not a dossier, document or decision
    assert _denials(caplog) == []
