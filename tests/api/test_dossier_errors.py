"""The API's refusals as the contract lists them: 401, 403, 404, 409, 422, 413, 415 and 400 — JSON, never a 500,
and nothing written."""
from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest

from ocop_tracker.documents.models import Document
from ocop_tracker.dossiers.models import Dossier
from ocop_tracker.extensions import db
from ocop_tracker.products.models import Product

from ..factories import BANANA, PASSWORD, PDF, district_era_rating, dossier_in_state, fire, new_dossier, score_marks

REQUIRED = ["registration_form", "self_assessment", "business_licence",
            "food_safety_certificate", "quality_announcement", "test_report"]


@pytest.fixture()
def api(world, client):
    """api(who, method, path, **kwargs): a request with `who`'s bearer token (None: without one)."""
    tokens = {}

    def call(who: str | None, method: str, path: str, **kwargs):
        headers = {}
        if who:
            if who not in tokens:
                issued = client.post("/api/v1/auth/token", json={"username": who, "password": PASSWORD})
                tokens[who] = issued.get_json()["token"]
            headers["Authorization"] = f"Bearer {tokens[who]}"
        return client.open(f"/api/v1{path}", method=method, headers=headers, **kwargs)
    return call


def refused(response, status: int, code: str) -> dict:
    """The contract's error shape with this status and machine word; returns its details."""
    body = response.get_json()
    assert response.status_code == status and response.is_json, (response.status_code, response.get_data(as_text=True))
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}, body
    assert body["error"]["code"] == code and body["error"]["message"], body
    return body["error"]["details"]


def unchanged(dossier: Dossier, state: str, version: int) -> None:
    db.session.expire_all()
    assert (dossier.state, dossier.version) == (state, version)


def upload(api, who: str, dossier_id: int, data: bytes = PDF, kind: str = "registration_form", **fields):
    return api(who, "POST", f"/dossiers/{dossier_id}/documents",
               data={"kind": kind, "file": (BytesIO(data), "tệp.pdf"), **fields})


ENDPOINTS = [("GET", "/product-sets"), ("POST", "/products"), ("GET", "/dossiers"), ("POST", "/dossiers"),
             ("GET", "/dossiers/{id}"), ("POST", "/dossiers/{id}/events/submit"),
             ("POST", "/dossiers/{id}/documents"), ("GET", "/dossiers/{id}/documents/1/file"),
             ("PUT", "/dossiers/{id}/vietgap"), ("PUT", "/dossiers/{id}/scores/me")]


@pytest.mark.parametrize("method, path", ENDPOINTS)
def test_no_token_is_401(world, api, method, path):
    dossier = new_dossier(world)
    db.session.commit()
    response = api(None, method, path.format(id=dossier.id), json={"version": 1})
    refused(response, 401, "token_required")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    unchanged(dossier, "draft", 1)


def test_wrong_role_is_403(world, api):
    reviewed, rating = dossier_in_state(world, "district_review"), dossier_in_state(world, "star_rating")
    refused(api("officer", "POST", "/products", json={"name": "Chè", "product_set": "set-11"}), 403, "forbidden")
    refused(api("officer", "POST", "/dossiers", json={"product_id": reviewed.product_id}), 403, "forbidden")
    refused(api("producer", "POST", f"/dossiers/{reviewed.id}/events/forward", json={"version": reviewed.version}),
            403, "forbidden")
    refused(upload(api, "officer", reviewed.id), 403, "forbidden")
    vietgap = {"certificate_no": "VG-1", "issuer": "VIETCERT", "issued_on": "2026-01-01", "valid_until": "2027-01-01"}
    refused(api("officer", "PUT", f"/dossiers/{reviewed.id}/vietgap", json=vietgap), 403, "forbidden")
    parts = {"parts": {"A": 20, "B": 10, "C": 10}}
    refused(api("producer", "PUT", f"/dossiers/{rating.id}/scores/me", json=parts), 403, "forbidden")
    refused(api("member", "POST", f"/dossiers/{rating.id}/events/close_rating", json={"version": rating.version}),
            403, "forbidden")
    unchanged(reviewed, "district_review", 2)
    unchanged(rating, "star_rating", 4)
    assert db.session.scalar(db.select(db.func.count(Product.id))) == 2  # no product was added


def test_other_organisation_is_404_as_if_absent(world, api):
    dossier = new_dossier(world)
    document = db.session.scalar(db.select(Document).filter_by(dossier_id=dossier.id))
    db.session.commit()
    absent = api("other_producer", "GET", "/dossiers/999999").get_json()
    for method, path in ENDPOINTS[4:]:
        path = path.format(id=dossier.id).replace("/documents/1/", f"/documents/{document.id}/")
        response = api("other_producer", method, path, json={"version": 1})
        refused(response, 404, "dossier_not_found")
        assert response.get_json() == absent  # nothing tells an existing dossier from a missing one
    refused(api("other_producer", "POST", "/dossiers", json={"product_id": dossier.product_id}),
            404, "product_not_found")
    fire(world, dossier, "submit", "producer")
    db.session.commit()
    refused(api("other_officer", "GET", f"/dossiers/{dossier.id}"), 404, "dossier_not_found")
    refused(api("chair", "GET", f"/dossiers/{dossier.id}"), 404, "dossier_not_found")  # not forwarded yet
    assert api("other_officer", "GET", "/dossiers").get_json()["total"] == 0
    unchanged(dossier, "district_review", 2)


def test_another_dossiers_document_is_404(world, api):
    first = new_dossier(world)
    second = new_dossier(world, name="Chè xanh")
    document = db.session.scalar(db.select(Document).filter_by(dossier_id=second.id))
    db.session.commit()
    refused(api("producer", "GET", f"/dossiers/{first.id}/documents/{document.id}/file"), 404, "document_not_found")
    assert api("producer", "GET", f"/dossiers/{second.id}/documents/{document.id}/file").data == PDF


def test_wrong_state_stale_version_and_second_dossier_are_409(world, api):
    dossier = dossier_in_state(world, "district_review")
    submit = api("producer", "POST", f"/dossiers/{dossier.id}/events/submit", json={"version": dossier.version})
    refused(submit, 409, "event_not_allowed")
    stale = api("officer", "POST", f"/dossiers/{dossier.id}/events/return", json={"version": 1, "comment": "Thiếu"})
    refused(stale, 409, "stale_version")
    details = refused(api("producer", "POST", "/dossiers", json={"product_id": dossier.product_id}), 409,
                      "dossier_exists")
    assert details == {"dossier_id": dossier.id}
    certified = dossier_in_state(world, "certified")
    late = api("member", "PUT", f"/dossiers/{certified.id}/scores/me", json={"parts": {"A": 1, "B": 1, "C": 1}})
    refused(late, 409, "event_not_allowed")
    unchanged(dossier, "district_review", 2)


def test_failed_guards_are_422_with_what_is_missing(world, api):
    draft = new_dossier(world, documents=False)
    reviewed = dossier_in_state(world, "district_review")
    db.session.commit()
    details = refused(api("producer", "POST", f"/dossiers/{draft.id}/events/submit", json={"version": 1}),
                      422, "guard_failed")
    assert details == {"missing": REQUIRED}
    no_reason = api("officer", "POST", f"/dossiers/{reviewed.id}/events/return", json={"version": 2})
    assert refused(no_reason, 422, "guard_failed") == {"missing": ["comment"]}
    future = api("officer", "POST", f"/dossiers/{reviewed.id}/events/forward",
                 json={"version": 2, "received_on": "2099-01-01"})
    assert refused(future, 422, "guard_failed") == {"missing": ["received_on"]}
    unknown_set = api("producer", "POST", "/products", json={"name": "Chè", "product_set": "set-99"})
    assert refused(unknown_set, 422, "unknown_product_set") == {"missing": ["product_set"]}
    assert refused(upload(api, "producer", draft.id, kind="passport"), 422, "guard_failed") == {"missing": ["kind"]}
    vietgap = {"certificate_no": "VG-1", "issuer": "VIETCERT", "issued_on": "2026-05-01", "valid_until": "2026-01-01"}
    backwards = api("producer", "PUT", f"/dossiers/{draft.id}/vietgap", json=vietgap)
    assert refused(backwards, 422, "guard_failed") == {"missing": ["valid_until"]}
    unchanged(draft, "draft", 1)
    unchanged(reviewed, "district_review", 2)


def test_council_guards_are_422(world, api):
    dossier = new_dossier(world)
    for event, who in (("submit", "producer"), ("forward", "officer"), ("admit", "province_officer")):
        fire(world, dossier, event, who)
    score_marks(dossier, actor=world["member"], parts={"A": 20, "B": 10, "C": 10})
    district = district_era_rating(world)  # parts are typed only on rounds without a sheet
    db.session.commit()
    above = api("district_chair", "PUT", f"/dossiers/{district.id}/scores/me",
                json={"parts": {"A": 41, "B": 10, "C": 10}})
    assert refused(above, 422, "guard_failed") == {"missing": ["A (0–40)"]}
    early = api("chair", "POST", f"/dossiers/{dossier.id}/events/close_rating", json={"version": dossier.version})
    assert refused(early, 422, "guard_failed") == {"missing": ["council_scores (1/3)", "chair_score"]}
    central = dossier_in_state(world, "central_review")
    national = api("province_officer", "POST", f"/dossiers/{central.id}/events/recognise",
                   json={"version": central.version, "score": 100.5})
    assert refused(national, 422, "guard_failed") == {"missing": ["score"]}
    unchanged(dossier, "star_rating", 4)


def test_verify_vietgap_without_a_certificate_needs_a_comment_and_never_blocks(world, api):
    dossier = new_dossier(world, set_number=BANANA)
    fire(world, dossier, "submit", "producer")
    db.session.commit()
    response = api("officer", "POST", f"/dossiers/{dossier.id}/events/verify_vietgap", json={"version": 2})
    assert refused(response, 422, "guard_failed") == {"missing": ["vietgap_comment"]}
    response = api("officer", "POST", f"/dossiers/{dossier.id}/events/verify_vietgap",
                   json={"version": 2, "comment": "Chủ thể chưa có giấy chứng nhận VietGAP."})
    assert response.status_code == 200 and response.get_json()["state"] == "district_review"


def stored_documents(app) -> tuple[int, list[str]]:
    """Document rows, and the files in the upload folder."""
    uploads = Path(app.instance_path) / "uploads"
    return (db.session.scalar(db.select(db.func.count(Document.id))),
            sorted(path.name for path in uploads.iterdir()) if uploads.is_dir() else [])


def test_oversized_and_refused_uploads(app, world, api):
    dossier = new_dossier(world, documents=False)
    db.session.commit()
    app.config["DOCUMENT_MAX_BYTES"] = 64
    assert refused(upload(api, "producer", dossier.id, PDF + b"%" * 64), 413, "too_large") == {"max_bytes": 64}
    app.config["DOCUMENT_MAX_BYTES"] = 1024
    for data in (b"GIF89a\x01\x00\x01\x00", b"#!/bin/sh\nrm -rf /\n"):
        details = refused(upload(api, "producer", dossier.id, data), 415, "unsupported_type")
        assert details == {"accepted": ["PDF", "JPEG", "PNG", "WebP", "DOCX", "XLSX"]}
    assert refused(upload(api, "producer", dossier.id, b"PK\x03\x04not a zip"), 415, "damaged_file") == {
        "format": "DOCX/XLSX"}
    refused(upload(api, "producer", dossier.id, b""), 400, "empty_file")
    app.config["MAX_CONTENT_LENGTH"] = 2048  # the whole request, before any file is judged
    refused(upload(api, "producer", dossier.id, PDF + b"%" * 4096), 413, "too_large")
    refused(api("producer", "POST", "/products", json={"name": "x" * 4096, "product_set": "set-11"}),
            413, "too_large")
    assert stored_documents(app) == (0, [])


@pytest.mark.parametrize("data, code", [
    ('{"name": "Chè", ', "malformed_json"),
    ("[1, 2]", "invalid_body"),
    ('{"name": "Chè", "product_set": "set-11", "price": 5}', "unknown_fields"),
    ('{"name": 5, "product_set": "set-11"}', "invalid_fields"),
    ('{"name": "Chè", "product_set": NaN}', "malformed_json"),
    ('{"name": "Chè", "product_set": "set-11", "description": ' + "[" * 100_000 + "]" * 100_000 + "}",
     "malformed_json"),
    ('{"name": "Ch\\u0000è", "product_set": "set-11"}', "invalid_fields"),
    ('{"name": "\\ud800", "product_set": "set-11"}', "invalid_fields"),
    ('{"name": "Chè", "product_set": "set-\\ud800\\u0000"}', "invalid_fields"),
    ('{"name": "' + "x" * 201 + '", "product_set": "set-11"}', "invalid_fields"),
    ('{"name": "   ", "product_set": "set-11"}', "invalid_fields"),
    ('{"name": "Chè"}', "missing_fields"),
    ("", "missing_fields"),
])
def test_bad_product_bodies_are_400(world, api, data, code):
    refused(api("producer", "POST", "/products", data=data, content_type="application/json"), 400, code)
    assert db.session.scalar(db.select(db.func.count(Product.id))) == 0


@pytest.mark.parametrize("event, body, code", [
    ("submit", {"version": "1"}, "invalid_fields"),
    ("submit", {"version": True}, "invalid_fields"),
    ("submit", {}, "missing_fields"),
    ("submit", {"version": 1, "received_on": "2026-03-02"}, "unknown_fields"),
    ("submit", {"version": 1, "comment": 7}, "invalid_fields"),
    ("submit", {"version": 1, "comment": "x" * 5001}, "invalid_fields"),
    ("forward", {"version": 1, "received_on": "2026-3-2"}, "invalid_fields"),
    ("forward", {"version": 1, "received_on": "20260302"}, "invalid_fields"),
    ("forward", {"version": 1, "received_on": "2026-02-30"}, "invalid_fields"),
    ("recognise", {"version": 1, "score": "95"}, "invalid_fields"),
])
def test_bad_event_bodies_are_400(world, api, event, body, code):
    dossier = new_dossier(world)
    db.session.commit()
    refused(api("producer", "POST", f"/dossiers/{dossier.id}/events/{event}", json=body), 400, code)
    unchanged(dossier, "draft", 1)


@pytest.mark.parametrize("method, path, kwargs, code", [
    ("POST", "/dossiers", {"json": {"product_id": 0}}, "invalid_fields"),
    ("POST", "/dossiers", {"json": {"product_id": 2**40}}, "invalid_fields"),
    ("POST", "/dossiers", {"json": {"product_id": "1"}}, "invalid_fields"),
    ("PUT", "/dossiers/{id}/scores/me", {"json": {"parts": {"A": 1, "B": 2}}}, "invalid_fields"),
    ("PUT", "/dossiers/{id}/scores/me", {"json": {"parts": {"A": "1", "B": 2, "C": 3}}}, "invalid_fields"),
    ("PUT", "/dossiers/{id}/scores/me", {"json": {"parts": [1, 2, 3]}}, "invalid_fields"),
    ("PUT", "/dossiers/{id}/vietgap", {"json": {"certificate_no": "VG"}}, "missing_fields"),
    ("POST", "/dossiers/{id}/documents", {"json": {"kind": "label"}}, "multipart_required"),
    ("POST", "/dossiers/{id}/documents", {"data": {"kind": "label"}, "content_type": "multipart/form-data"},
     "missing_fields"),
    ("POST", "/dossiers/{id}/documents", {"data": {"kind": "label", "file": PDF, "owner": "me"}}, "unknown_fields"),
    ("POST", "/dossiers/{id}/documents", {"data": {"kind": "label", "file": PDF, "valid_until": "31/12/2026"}},
     "invalid_fields"),
    ("GET", "/dossiers?per_page=101", {}, "invalid_parameter"),
    ("GET", "/dossiers?per_page=0", {}, "invalid_parameter"),
    ("GET", "/dossiers?page=abc", {}, "invalid_parameter"),
    ("GET", "/dossiers?page=-1", {}, "invalid_parameter"),
    ("GET", "/dossiers?page=99999999999999999999", {}, "invalid_parameter"),
    ("GET", "/dossiers?state=nope", {}, "invalid_parameter"),
])
def test_other_bad_requests_are_400(world, api, method, path, kwargs, code):
    if "file" in kwargs.get("data", {}):  # a fresh stream per run: the client closes the one it sends
        kwargs = {**kwargs, "data": {**kwargs["data"], "file": (BytesIO(kwargs["data"]["file"]), "a.pdf")}}
    dossier = dossier_in_state(world, "star_rating" if "scores" in path else "draft")
    who = "member" if "scores" in path else "producer"
    refused(api(who, method, path.format(id=dossier.id), **kwargs), 400, code)
    assert db.session.scalar(db.select(db.func.count(Document.id))) == len(REQUIRED)
    assert db.session.scalar(db.select(db.func.count(Dossier.id))) == 1


def test_unknown_event_and_impossible_ids_are_404(world, api):
    dossier = new_dossier(world)
    db.session.commit()
    details = refused(api("producer", "POST", f"/dossiers/{dossier.id}/events/teleport", json={"version": 1}),
                      404, "unknown_event")
    assert "submit" in details["events"]
    refused(api("producer", "GET", f"/dossiers/{2**70}"), 404, "not_found")
    refused(api("producer", "GET", f"/dossiers/{dossier.id}/documents/{2**70}/file"), 404, "not_found")
    unchanged(dossier, "draft", 1)


@pytest.mark.parametrize("text", ["\\ud800", "a\\u0000b"])
def test_unstorable_text_is_400_even_before_sign_in(world, client, text):
    """NUL and lone surrogates would fail in the database (a 500); they are refused as input."""
    body = '{"username": "' + text + '", "password": "x"}'
    response = client.post("/api/v1/auth/token", data=body, content_type="application/json")
    assert refused(response, 400, "invalid_fields") == {
        "fields": {"username": "must not contain NUL or unpaired surrogate characters"}}
