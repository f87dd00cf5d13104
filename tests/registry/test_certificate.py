"""One certificate on the public registry, as a page and over the API, without signing in."""
from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

import jsonschema_rs
import pytest

from ocop_tracker.api.registry import CERTIFICATE_SCHEMA
from ocop_tracker.extensions import db
from ocop_tracker.registry.services import current_certificate

from ..factories import DAY0, dossier_in_state, expiry_day, fire, new_dossier, upload_required_documents
from .builders import SOON, code_of, rate

CONTRACT_FIELDS = {"code", "product", "organisation", "star", "issued_on", "expires_on", "status", "decision"}
LAST_VALID_DAY = date(2029, 3, 2)  # signed 02/03/2026: 36 months on, the signing day not counted (Điều 147–148)


def page_text(html: str) -> str:
    """The page's words without its tags, spaces squeezed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture()
def certified(app, world):
    app.config["TODAY"] = SOON
    return dossier_in_state(world, "certified")


def test_registry_page_of_a_certified_dossier_answers_without_login(client, certified):
    code = code_of(certified)
    response = client.get(f"/registry/{code}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for fact in (code, "Chè Mỹ Tân", "HTX Chuối Viba", "Liên Sơn, Lương Sơn, Phú Thọ", "02/03/2026",
                 "có hiệu lực đến hết ngày 02/03/2029", "Có hiệu lực đến hết ngày", "UBND tỉnh", "Còn hiệu lực",
                 'data-status="valid"', "11. "):
        assert fact in html, fact
    assert "UBND huyện" not in html  # recognised by the province's chairman, not a district's
    assert "★★★" in html and "★★★★" not in html


def test_registry_api_of_a_certified_dossier_answers_without_token(client, certified):
    response = client.get(f"/api/v1/registry/{code_of(certified)}")
    body = response.get_json()
    assert response.status_code == 200
    assert CONTRACT_FIELDS <= set(body)
    assert {name: body[name] for name in CONTRACT_FIELDS} == {
        "code": code_of(certified), "product": "Chè Mỹ Tân", "organisation": "HTX Chuối Viba", "star": 3,
        "issued_on": "2026-03-02", "expires_on": "2029-03-02", "status": "valid",
        "decision": {"number": f"{certified.id}/QĐ-UBND", "signed_on": "2026-03-02", "signer": "Nguyễn Văn A",
                     "body": "UBND tỉnh Phú Thọ"}}
    assert body["place"] == "Liên Sơn, Lương Sơn, Phú Thọ" and body["recognised_by"] == "province"
    assert body["product_set"] == certified.product.product_set.code and body["superseded_by"] is None


def test_registry_shows_the_names_after_the_2025_reform(client, world, certified):
    world.commune.name_after_2025, world.province.name_after_2025 = "xã Liên Sơn", "tỉnh Phú Thọ"
    db.session.commit()  # the district, abolished, has no name after the reform: it drops out
    assert "nay là xã Liên Sơn, tỉnh Phú Thọ" in client.get(f"/registry/{code_of(certified)}").get_data(as_text=True)
    body = client.get(f"/api/v1/registry/{code_of(certified)}").get_json()
    assert (body["place"], body["place_after_2025"]) == ("Liên Sơn, Lương Sơn, Phú Thọ", "xã Liên Sơn, tỉnh Phú Thọ")


def test_registry_names_the_place_on_todays_map_without_the_abolished_district(client, world, certified):
    body = client.get(f"/api/v1/registry/{code_of(certified)}").get_json()
    assert (body["place"], body["place_after_2025"]) == ("Liên Sơn, Lương Sơn, Phú Thọ", "Liên Sơn, Phú Thọ")
    assert "nay là Liên Sơn, Phú Thọ" in client.get(f"/registry/{code_of(certified)}").get_data(as_text=True)


def test_registry_of_a_revoked_certificate_says_revoked_with_its_date(app, client, world):
    app.config["TODAY"] = SOON
    code = code_of(dossier_in_state(world, "revoked"))
    html = client.get(f"/registry/{code}").get_data(as_text=True)
    assert 'data-status="revoked"' in html and "Ngày thu hồi" in html and DAY0.strftime("%d/%m/%Y") in html
    body = client.get(f"/api/v1/registry/{code}").get_json()
    assert body["status"] == "revoked" and body["revoked_on"] == DAY0.isoformat()


@pytest.mark.parametrize("today", [LAST_VALID_DAY + timedelta(days=1), date(2030, 1, 1)])
def test_registry_of_a_certificate_past_its_last_valid_day_says_expired(app, client, certified, today):
    app.config["TODAY"] = today  # the daily expiry run has not marked it yet
    code = code_of(certified)
    assert current_certificate(certified).status == "valid"
    assert 'data-status="expired"' in client.get(f"/registry/{code}").get_data(as_text=True)
    assert client.get(f"/api/v1/registry/{code}").get_json()["status"] == "expired"


def test_registry_says_valid_on_the_last_valid_day_and_expired_the_day_after(app, client, certified):
    code = code_of(certified)
    assert expiry_day(certified) == LAST_VALID_DAY
    app.config["TODAY"] = LAST_VALID_DAY
    html = client.get(f"/registry/{code}").get_data(as_text=True)
    assert 'data-status="valid"' in html and 'data-status="expired"' not in html
    assert "có hiệu lực đến hết ngày 02/03/2029" in html
    body = client.get(f"/api/v1/registry/{code}").get_json()
    assert (body["status"], body["expires_on"]) == ("valid", "2029-03-02")
    assert code in client.get("/registry").get_data(as_text=True)  # still listed as valid
    app.config["TODAY"] = LAST_VALID_DAY + timedelta(days=1)
    html = client.get(f"/registry/{code}").get_data(as_text=True)
    assert 'data-status="expired"' in html and 'data-status="valid"' not in html
    body = client.get(f"/api/v1/registry/{code}").get_json()
    assert (body["status"], body["expires_on"]) == ("expired", "2029-03-02")
    assert code not in client.get("/registry").get_data(as_text=True)


def test_registry_shows_the_recognition_decision_the_certificate_runs_from(app, client, world):
    app.config["TODAY"] = SOON
    signed_on = DAY0 + timedelta(days=10)  # the chairman signs ten days after the council closed its rating
    dossier = rate(world, new_dossier(world), signed_on=signed_on)
    certificate = current_certificate(dossier)
    number = f"{dossier.id}-1/QĐ-UBND"
    assert (certificate.issued_on, certificate.expires_on) == (signed_on, date(2029, 3, 12))
    assert certificate.decision.number == number
    text = page_text(client.get(f"/registry/{certificate.code}").get_data(as_text=True))
    assert number in text, "the registry page does not show the recognition decision's number"
    assert re.search(re.escape(number) + r".{0,200}12/03/2026", text), "nor its signing date beside it"
    assert "có hiệu lực đến hết ngày 12/03/2029" in text
    body = client.get(f"/api/v1/registry/{certificate.code}").get_json()
    assert body["decision"] == {"number": number, "signed_on": "2026-03-12", "signer": "Nguyễn Văn A",
                                "body": "UBND tỉnh Phú Thọ"}
    assert (body["issued_on"], body["expires_on"]) == ("2026-03-12", "2029-03-12")


def test_registry_of_an_expired_dossier_says_expired(client, world):
    code = code_of(dossier_in_state(world, "expired"))
    assert client.get(f"/api/v1/registry/{code}").get_json()["status"] == "expired"


def test_registry_of_a_superseded_certificate_names_its_successor(app, client, world, certified):
    old = code_of(certified)
    fire(world, certified, "request_upgrade", "producer", day=DAY0 + timedelta(days=30))
    upload_required_documents(certified, world["producer"])
    rate(world, certified, star=4, day=DAY0 + timedelta(days=31))
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
    assert "Provincial People&#39;s Committee" in html and "OCOP product registry" in html and "Valid" in html


def test_registry_api_answers_match_their_published_schema(client, world, certified):
    coop = world["producer"].organisation
    coop.phone, coop.contact_public = "0912 345 678", True
    db.session.commit()
    validator = jsonschema_rs.Draft202012Validator(CERTIFICATE_SCHEMA, validate_formats=True)
    for dossier in (certified, dossier_in_state(world, "revoked")):
        body = client.get(f"/api/v1/registry/{code_of(dossier)}").get_json()
        validator.validate(body)
        assert set(body) == set(CERTIFICATE_SCHEMA["properties"])
