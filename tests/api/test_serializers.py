"""The API's JSON shapes: times with Vietnam's offset, the contract's deadline statuses, star, score and names."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from ocop_tracker.api.serializers import contract_deadline, dossier_json, iso_time, star_of
from ocop_tracker.clock import VIETNAM
from ocop_tracker.documents.models import Document
from ocop_tracker.extensions import db
from ocop_tracker.registry.services import current_certificate
from ocop_tracker.reviews.services import current_round

from ..factories import DAY0, PASSWORD, dossier_in_state, fire, new_dossier


def get(client, who: str, path: str):
    token = client.post("/api/v1/auth/token", json={"username": who, "password": PASSWORD}).get_json()["token"]
    response = client.get(f"/api/v1{path}", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.get_json()
    return response.get_json()


@pytest.mark.parametrize("moment, naive_zone, expected", [
    (datetime(2026, 3, 2, 1, 30), UTC, "2026-03-02T08:30:00+07:00"),
    (datetime(2026, 3, 2, 20, 15, 9, 500), VIETNAM, "2026-03-02T20:15:09+07:00"),
    (datetime(2026, 3, 2, 20, 15, tzinfo=UTC), VIETNAM, "2026-03-03T03:15:00+07:00"),
    (None, UTC, None),
])
def test_iso_time_has_vietnams_offset(moment, naive_zone, expected):
    assert iso_time(moment, naive_zone) == expected


@pytest.mark.parametrize("status", ["on_time", "due_soon", "overdue", "met"])
def test_contract_deadline_keeps_the_contracts_statuses(status):
    summary = {"kind": "decision", "due_on": "2026-04-23", "status": status}
    assert contract_deadline(summary) == summary


def test_deadline_without_its_calendar_year_is_on_time_with_no_due_date(app, world, client):
    """Submitted late in 2026 with 2027 not yet in the calendar: no due date can be counted yet."""
    dossier = new_dossier(world)
    fire(world, dossier, "submit", "producer", day=date(2026, 12, 28))
    db.session.commit()
    app.config["TODAY"] = date(2026, 12, 29)
    body = get(client, "producer", f"/dossiers/{dossier.id}")
    assert body["deadlines"] == [{"kind": "first_level_check", "due_on": None, "status": "on_time"}]
    listed = get(client, "producer", "/dossiers")["items"][0]
    assert listed["next_deadline"] == {"kind": "first_level_check", "due_on": None, "status": "on_time"}


@pytest.mark.parametrize("state, star", [
    ("certified", 3), ("upgrade", 3), ("not_recognised", 2), ("central_review", 5), ("awaiting_decision", 3),
    ("revoked", None), ("star_rating", None),
])
def test_star_is_what_the_dossier_holds(world, state, star):
    dossier = dossier_in_state(world, state)
    assert star_of(current_round(dossier), current_certificate(dossier)) == star


def test_score_is_shown_as_the_pages_show_it(app, world, client):
    app.config["TODAY"] = DAY0
    dossier = dossier_in_state(world, "star_rating")  # all three members have scored, rating still open
    sealed = {"producer": None, "officer": None}
    for who, expected in sealed.items():
        assert get(client, who, f"/dossiers/{dossier.id}")["score"] is expected
    member = get(client, "member", f"/dossiers/{dossier.id}")
    assert member["score"] == {"total": 62.0, "parts": {"A": 25.0, "B": 17.0, "C": 20.0}, "members": 3, "quorum": 3,
                               "star": 3, "flagged": 0}
    assert member["my_score"] == {"parts": {"A": 24.0, "B": 17.0, "C": 21.0}, "total": 62.0}
    fire(world, dossier, "close_rating", "chair")
    db.session.commit()
    for who in ("producer", "officer"):
        body = get(client, who, f"/dossiers/{dossier.id}")
        assert (body["score"]["total"], body["my_score"], body["star"]) == (62.0, None, 3)


def test_history_names_the_system_as_actor(world):
    dossier = dossier_in_state(world, "expired")
    body = dossier_json(dossier, world["producer"], DAY0)
    assert body["history"][-1]["event"] == "expire" and body["history"][-1]["actor"] == "system"
    assert body["certificate"]["status"] == "expired" and body["star"] is None


def test_documents_are_current_versions_with_their_download_link(app, world, client):
    dossier = new_dossier(world)
    db.session.commit()
    body = get(client, "producer", f"/dossiers/{dossier.id}")
    document = body["documents"][0]
    stored = db.session.get(Document, document["id"])
    assert document["url"] == f"/api/v1/dossiers/{dossier.id}/documents/{stored.id}/file"
    assert (document["size"], document["content_type"], document["valid_until"]) == (stored.size, "application/pdf",
                                                                                     None)


def test_product_sets_are_named_in_the_callers_language(world, client):
    assert get(client, "producer", "/product-sets")[10]["name"] == "Chè tươi, chế biến"
    world["officer"].locale = "en"
    db.session.commit()
    english = get(client, "officer", "/product-sets")[10]
    assert (english["code"], english["name"], english["group"]) == ("set-11", english["name_en"], "food")
    assert english["name"] != english["name_vi"]
