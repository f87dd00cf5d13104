"""One certificate on the public registry, as a page and over the API, without signing in."""
from __future__ import annotations

from datetime import date, timedelta

import jsonschema_rs
import pytest

from ocop_tracker.api.registry import CERTIFICATE_SCHEMA
from ocop_tracker.extensions import db
from ocop_tracker.registry.services import current_certificate

from ..factories import DAY0, dossier_in_state, fire, upload_required_documents
from .builders import SOON, code_of, rate

CONTRACT_FIELDS = {"code", "product", "organisation", "star", "issued_on", "expires_on", "status"}


@pytest.fixture()
def certified(app, world):
    app.config["TODAY"] = SOON
    return dossier_in_state(world, "certified")


def test_registry_page_of_a_certified_dossier_answers_without_login(client, certified):
    code = code_of(certified)
    response = client.get(f"/registry/{code}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for fact in (code, "Chè Mỹ Tân", "HTX Chuối Viba", "Liên Sơn, Lương Sơn, Hòa Bình", "02/03/2026", "02/03/2029",
                 "UBND huyện", "Còn hiệu lực", 'data-status="valid"', "11. "):
        assert fact in html, fact
    assert "★★★" in html and "★★★★" not in html


def test_registry_api_of_a_certified_dossier_answers_without_token(client, certified):
    response = client.get(f"/api/v1/registry/{code_of(certified)}")
    body = response.get_json()
    assert response.status_code == 200
    assert CONTRACT_FIELDS <= set(body)
    assert {name: body[name] for name in CONTRACT_FIELDS} == {
        "code": code_of(certified), "product": "Chè Mỹ Tân", "organisation": "HTX Chuối Viba", "star": 3,
        "issued_on": "2026-03-02", "expires_on": "2029-03-02", "status": "valid"}
    assert body["place"] == "Liên Sơn, Lương Sơn, Hòa Bình" and body["recognised_by"] == "district"
    assert body["product_set"] == certified.product.product_set.code and body["superseded_by"] is None


def test_registry_shows_the_names_after_the_2025_reform(client, world, certified):
    world.province.name_after_2025 = "Phú Thọ"
    db.session.commit()
    assert "nay là Phú Thọ" in client.get(f"/registry/{code_of(certified)}").get_data(as_text=True)
    assert client.get(f"/api/v1/registry/{code_of(certified)}").get_json()["place_after_2025"] == "Phú Thọ"


def test_registry_of_a_revoked_certificate_says_revoked_with_its_date(app, client, world):
    app.config["TODAY"] = SOON
    code = code_of(dossier_in_state(world, "revoked"))
    html = client.get(f"/registry/{code}").get_data(as_text=True)
    assert 'data-status="revoked"' in html and "Ngày thu hồi" in html and DAY0.strftime("%d/%m/%Y") in html
    body = client.get(f"/api/v1/registry/{code}").get_json()
    assert body["status"] == "revoked" and body["revoked_on"] == DAY0.isoformat()


@pytest.mark.parametrize("today", [date(2029, 3, 2), date(2030, 1, 1)])
def test_registry_of_a_certificate_past_its_end_date_says_expired(app, client, certified, today):
    app.config["TODAY"] = today  # the daily expiry run has not marked it yet
    code = code_of(certified)
    assert current_certificate(certified).status == "valid"
    assert 'data-status="expired"' in client.get(f"/registry/{code}").get_data(as_text=True)
    assert client.get(f"/api/v1/registry/{code}").get_json()["status"] == "expired"


def test_registry_of_a_certificate_on_its_last_day_says_valid(app, client, certified):
    app.config["TODAY"] = date(2029, 3, 1)
    assert client.get(f"/api/v1/registry/{code_of(certified)}").get_json()["status"] == "valid"


def test_registry_of_an_expired_dossier_says_expired(client, world):
    code = code_of(dossier_in_state(world, "expired"))
    assert client.get(f"/api/v1/registry/{code}").get_json()["status"] == "expired"


def test_registry_of_a_superseded_certificate_names_its_successor(app, client, world, certified):
    old = code_of(certified)
    fire(world, certified, "request_upgrade", "producer", day=DAY0 + timedelta(days=30))
    upload_required_documents(certified, world["producer"])
    rate(world, certified, star=4)
    new = code_of(certified)
    assert new != old
    html = client.get(f"/registry/{old}").get_data(as_text=True)
    assert 'data-status="superseded"' in html and f'href="/registry/{new}"' in html
    body = client.get(f"/api/v1/registry/{old}").get_json()
    assert (body["status"], body["status_detail"], body["superseded_by"]) == ("expired", "superseded", new)
    assert client.get(f"/api/v1/registry/{new}").get_json()["star"] == 4


def test_registry_page_of_an_unknown_code_is_the_translated_404(client, world):
    response = client.get("/registry/OCOP-NOPE-1")
    assert response.status_code == 404 and "Không tìm thấy" in response.get_data(as_text=True)


def test_registry_api_of_an_unknown_code_is_a_json_404(client, world):
    response = client.get("/api/v1/registry/OCOP-NOPE-1")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("code", ["%00", "OCOP%00", "x" * 500, "'; DROP TABLE certificates; --", "%25"])
def test_registry_of_a_hostile_code_is_a_404(client, world, code):
    assert client.get(f"/registry/{code}").status_code == 404
    assert client.get(f"/api/v1/registry/{code}").get_json()["error"]["code"] == "not_found"


def test_registry_code_typed_in_another_case_leads_to_the_certificate(client, certified):
    code = code_of(certified)
    response = client.get(f"/registry/{code.lower()}")
    assert response.status_code == 301 and response.location.endswith(f"/registry/{code}")
    assert client.get(f"/api/v1/registry/ {code.lower()} ").get_json()["code"] == code


def test_dossier_page_links_its_certificate_to_the_registry(login_as, certified):
    html = login_as("producer").get(f"/dossiers/{certified.id}").get_data(as_text=True)
    assert f'href="/registry/{code_of(certified)}"' in html


@pytest.mark.parametrize("who", [None, "producer", "officer"])
def test_every_page_links_to_the_registry_search(client, login_as, world, who):
    browser = login_as(who) if who else client
    html = browser.get("/registry" if who is None else "/").get_data(as_text=True)
    assert 'href="/registry">Tra cứu OCOP</a>' in html


def test_registry_page_speaks_english_when_asked(client, certified):
    client.post("/language", data={"locale": "en", "next": "/registry"})
    html = client.get(f"/registry/{code_of(certified)}").get_data(as_text=True)
    assert "District People&#39;s Committee" in html and "OCOP product registry" in html and "Valid" in html


def test_registry_api_answers_match_their_published_schema(client, world, certified):
    coop = world["producer"].organisation
    coop.phone, coop.contact_public = "0912 345 678", True
    db.session.commit()
    validator = jsonschema_rs.Draft202012Validator(CERTIFICATE_SCHEMA, validate_formats=True)
    for dossier in (certified, dossier_in_state(world, "revoked")):
        body = client.get(f"/api/v1/registry/{code_of(dossier)}").get_json()
        validator.validate(body)
        assert set(body) == set(CERTIFICATE_SCHEMA["properties"])
