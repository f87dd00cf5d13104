"""A workflow event posted to a page or the API (and a recognition decision's lines) reads the dossier with what the
one door reads (its reviewing unit, product, producer and product set) in the same statement, so the door asks
nothing more (issue 13)."""
from __future__ import annotations

import re

import pytest

from ocop_tracker.dossiers.models import Dossier
from ocop_tracker.extensions import db

from ..factories import PASSWORD, dossier_in_state
from ..statements import statements_run

# The tables EVENT_READS joins to the dossier: asked on their own, the door paid a statement for them.
JOINED = ("administrative_units", "products", "organisations", "product_sets")


def _reads_before_the_update(statements: list[str]) -> list[str]:
    """The first table of each SELECT the request sends before the door writes the dossier's new state."""
    until = next(n for n, statement in enumerate(statements) if statement.startswith("UPDATE dossiers"))
    return [found.group(1) for statement in statements[:until] if statement.startswith("SELECT")
            for found in [re.search(r"\bFROM\s+(\w+)", statement)] if found]


def _posted(client, path: str, **kwargs) -> list[str]:
    db.session.commit()
    db.session.expire_all()  # as a new request finds it: nothing loaded
    with statements_run() as seen:
        response = client.post(path, **kwargs)
    assert response.status_code in (200, 302), response.get_data(as_text=True)
    db.session.expire_all()
    return _reads_before_the_update(seen)


def _read_once_with_what_the_door_reads(reads: list[str]) -> None:
    """One read of the dossier, and none of its unit, product, producer or product set after it (the signed-in
    user's own unit may be read before: which dossiers an officer sees)."""
    assert reads.count("dossiers") == 1 and not set(reads[reads.index("dossiers"):]) & set(JOINED), reads


@pytest.fixture()
def dossier(world) -> Dossier:
    return dossier_in_state(world, "district_review")


def test_a_page_posting_an_event_reads_the_dossier_once_with_what_the_door_reads(world, dossier, login_as):
    client = login_as("officer")
    reads = _posted(client, f"/dossiers/{dossier.id}/events/return",
                    data={"return-version": dossier.version, "return-comment": "Thiếu giấy phép"})
    _read_once_with_what_the_door_reads(reads)
    assert db.session.get(Dossier, dossier.id).state == "returned"


def test_the_api_posting_an_event_reads_the_dossier_once_with_what_the_door_reads(world, dossier, client):
    token = client.post("/api/v1/auth/token", json={"username": "officer", "password": PASSWORD}).get_json()["token"]
    reads = _posted(client, f"/api/v1/dossiers/{dossier.id}/events/return",
                    json={"version": dossier.version, "comment": "Thiếu giấy phép"},
                    headers={"Authorization": f"Bearer {token}"})
    _read_once_with_what_the_door_reads(reads)
    assert db.session.get(Dossier, dossier.id).state == "returned"


def _posted_decision(client, path: str, **kwargs) -> list[str]:
    """The first table of each SELECT until the request's last write (the page or JSON after it may read again)."""
    db.session.commit()
    db.session.expire_all()
    with statements_run() as seen:
        response = client.post(path, **kwargs)
    assert response.status_code in (201, 302), response.get_data(as_text=True)
    db.session.expire_all()
    last_write = max(n for n, statement in enumerate(seen) if statement.startswith(("UPDATE", "INSERT")))
    return [found.group(1) for statement in seen[:last_write] if statement.startswith("SELECT")
            for found in [re.search(r"\bFROM\s+(\w+)", statement)] if found]


def _each_dossier_read_once(reads: list[str]) -> None:
    """The lines' dossiers in one statement with what the door reads: no unit of theirs read per dossier, nothing
    read again by the door (the deciding unit above them may be read)."""
    assert reads.count("dossiers") == 1 and not set(reads) & {"products", "organisations", "product_sets"}, reads


def test_a_decision_reads_its_dossiers_once_with_what_the_door_reads(world, login_as):
    first, second = dossier_in_state(world, "awaiting_decision"), dossier_in_state(world, "awaiting_decision")
    client = login_as("province_officer")
    reads = _posted_decision(client, "/decisions/record", data={
        "number": "15/QĐ-UBND", "signed_on": "2026-03-02", "signer": "Nguyễn Văn A",
        f"outcome-{first.id}": "recognise", f"version-{first.id}": first.version,
        f"outcome-{second.id}": "recognise", f"version-{second.id}": second.version})
    _each_dossier_read_once(reads)
    assert reads.count("administrative_units") == 2  # the officer's province and the decision's issuing unit
    assert db.session.get(Dossier, second.id).state == "certified"


def test_a_decision_through_the_api_reads_each_dossier_once_with_what_the_door_reads(world, client):
    first, second = dossier_in_state(world, "awaiting_decision"), dossier_in_state(world, "awaiting_decision")
    signed_in = client.post("/api/v1/auth/token", json={"username": "province_officer", "password": PASSWORD})
    reads = _posted_decision(client, "/api/v1/decisions", headers={"Authorization": f"Bearer {signed_in.get_json()['token']}"},
                             json={"number": "15/QĐ-UBND", "signed_on": "2026-03-02", "signer": "Nguyễn Văn A",
                                   "items": [{"dossier_id": d.id, "version": d.version, "outcome": "recognise"}
                                             for d in (first, second)]})
    assert reads.count("dossiers") == 2 and not set(reads) & {"products", "organisations", "product_sets"}, reads
    assert db.session.get(Dossier, second.id).state == "certified"
