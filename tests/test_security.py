"""Deny by default: every route is public by name or refuses an anonymous caller; headers; CSRF; sign-out."""
from __future__ import annotations

import re

import pytest
from flask import url_for
from werkzeug.routing import AnyConverter, IntegerConverter, PathConverter

from ocop_tracker.accounts.models import SignInAttempt
from ocop_tracker.accounts.views import PUBLIC_ENDPOINTS
from ocop_tracker.extensions import db

from .factories import PASSWORD, new_dossier


def _sample_value(converter):
    """A value each kind of route argument accepts."""
    if isinstance(converter, IntegerConverter):
        return 1
    if isinstance(converter, PathConverter):
        return "app.css"
    if isinstance(converter, AnyConverter):
        return min(converter.items)
    return "submit"


def _concrete_urls(app):
    """Every rule with its arguments filled in, and the methods it takes."""
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            values = {name: _sample_value(converter) for name, converter in rule._converters.items()}
            yield rule.endpoint, url_for(rule.endpoint, **values), sorted(rule.methods - {"HEAD", "OPTIONS"})


def test_every_route_is_public_or_refuses_anonymous(app, client):
    checked = 0
    for endpoint, path, methods in _concrete_urls(app):
        if endpoint in PUBLIC_ENDPOINTS:
            continue
        for method in methods:
            response = client.open(path, method=method)
            assert response.status_code in (302, 401), (endpoint, method, response.status_code)
            if response.status_code == 302:
                assert response.location.startswith("/login"), (endpoint, response.location)
            checked += 1
    assert checked >= 10  # the inventory really walked the app's routes


def test_public_allow_list_is_only_sign_in_password_reset_language_static_registry_and_probes():
    assert PUBLIC_ENDPOINTS == {"accounts.login", "accounts.language", "accounts.forgot_password",
                                "accounts.reset_password", "static", "bootstrap.static",
                                "registry.index", "registry.certificate", "registry.qr", "api.registry_certificate",
                                "api.openapi_document", "api_docs.page", "health.healthz", "health.readyz"}


def test_pages_carry_security_headers(client):
    response = client.get("/login")
    assert "frame-ancestors 'self'" in response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_session_cookie_is_http_only_and_same_site(client, world):
    response = client.post("/login", data={"username": "producer", "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_sign_out_ends_the_session_even_for_a_copied_cookie(app, world, login_as):
    client = login_as("producer")
    copied = client.get_cookie("ocop_session").value
    assert client.get("/").status_code == 200
    client.post("/logout")
    replay = app.test_client()
    replay.set_cookie("ocop_session", copied)
    response = replay.get("/")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_sign_in_after_sign_out_works_again(world, login_as, client):
    login_as("producer")
    client.post("/logout")
    assert login_as("producer").get("/").status_code == 200


def test_repeated_failures_slow_sign_in_down_and_are_logged(app, world, client, caplog):
    app.config["SIGN_IN_FREE_FAILURES"] = 3
    for _ in range(3):
        client.post("/login", data={"username": "producer", "password": "wrong-password"})
    response = client.post("/login", data={"username": "producer", "password": PASSWORD})
    assert response.status_code == 429
    assert "thử lại sau" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302  # not signed in: the right password did not get through
    assert "failed sign-in" in caplog.text
    failures = db.session.scalar(db.select(db.func.count(SignInAttempt.id)).filter_by(
        username="producer", succeeded=False))
    assert failures == 3  # the slowed-down try was refused before the password was even checked


@pytest.fixture()
def csrf_app(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield app
    app.config["WTF_CSRF_ENABLED"] = False


def _csrf_token(page: str) -> str:
    """The token of the page's first form, whichever way the form writes its hidden field."""
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"|csrf_token" type="hidden" value="([^"]+)"', page)
    return found.group(1) or found.group(2)


def test_csrf_is_enforced_on_forms_and_workflow_buttons(csrf_app, world):
    dossier = new_dossier(world)
    db.session.commit()
    client = csrf_app.test_client()
    assert client.post("/login", data={"username": "producer", "password": PASSWORD}).status_code == 400
    token = _csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"username": "producer", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302
    response = client.post(f"/dossiers/{dossier.id}/events/submit", data={"submit-version": dossier.version, "declared": "y"})
    assert response.status_code == 400
    assert "Phiên làm việc đã hết hạn" in response.get_data(as_text=True)
    db.session.refresh(dossier)
    assert dossier.state == "draft"
    page = client.get(f"/dossiers/{dossier.id}/check-answers").get_data(as_text=True)
    response = client.post(f"/dossiers/{dossier.id}/filing",
                           data={"version": dossier.version, "declared": "y", "csrf_token": _csrf_token(page)})
    assert response.status_code == 302  # the same button with its token goes through
    db.session.refresh(dossier)
    assert dossier.state == "district_review"


def test_next_after_sign_in_stays_inside(world, client):
    response = client.post("/login?next=/dossiers/open", data={"username": "producer", "password": PASSWORD})
    assert response.location == "/dossiers/open"


def test_unknown_api_paths_answer_in_json(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"
