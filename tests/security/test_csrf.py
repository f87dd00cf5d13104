"""CSRF on, as in production: every state-changing web request without a token is refused with 400 and changes
nothing; the JSON API, authenticated by bearer tokens only, is not affected."""
from __future__ import annotations

import re

import pytest

from ocop_tracker.extensions import db
from ocop_tracker.products.models import ProductSet

from ..factories import PASSWORD, TEA
from .surface import ROLES, build_surface, fetch, fingerprint, is_api, rules

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
CSRF_REFUSAL = "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ"


@pytest.fixture()
def csrf_app(app):
    app.config["WTF_CSRF_ENABLED"] = True
    return app


def _token(page: str) -> str:
    """The page's first CSRF token, whichever way its form writes the hidden field."""
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"|csrf_token" type="hidden" value="([^"]+)"', page)
    return found.group(1) or found.group(2)


def _signed_in(app, who: str | None):
    """A browser that signed in the honest way: the sign-in form's own token."""
    client = app.test_client()
    if who:
        token = _token(client.get("/login").get_data(as_text=True))
        response = client.post("/login", data={"username": who, "password": PASSWORD, "csrf_token": token})
        assert response.status_code == 302, who
    return client


def test_every_state_changing_web_request_without_a_token_is_refused(csrf_app, world):
    surface = build_surface(world)
    clients = {who: _signed_in(csrf_app, who) for who in ROLES}
    before = fingerprint(csrf_app)
    wrong, tried = [], 0
    form = {"version": surface.dossier.version, "declared": "y", "comment": "x", "reason": "x", "name": "Tên mới",
            "username": "producer", "password": PASSWORD, "locale": "en"}
    for rule in rules(csrf_app):
        if is_api(rule):
            continue
        path = surface.path(rule)
        for method in sorted(rule.methods & STATE_CHANGING):
            for who, client in clients.items():
                response = fetch(client, method, path, data=form)
                tried += 1
                if response.status_code != 400 or CSRF_REFUSAL not in response.get_data(as_text=True):
                    wrong.append((who, method, path, response.status_code))
    assert wrong == []
    assert fingerprint(csrf_app) == before
    assert tried > 200
    assert fetch(clients["producer"], "GET", "/").status_code == 200  # a sign-out without its token did not happen


def test_the_json_api_with_a_bearer_token_needs_no_csrf_token(csrf_app, world):
    client = csrf_app.test_client()
    issued = client.post("/api/v1/auth/token", json={"username": "producer", "password": PASSWORD})
    assert issued.status_code == 201
    code = db.session.scalar(db.select(ProductSet.code).filter_by(number=TEA))
    response = client.post("/api/v1/products", json={"name": "Chè búp", "product_set": code},
                           headers={"Authorization": f"Bearer {issued.get_json()['token']}"})
    assert response.status_code == 201
    opened = client.post("/api/v1/dossiers", json={"product_id": response.get_json()["id"]},
                         headers={"Authorization": f"Bearer {issued.get_json()['token']}"})
    assert opened.status_code == 201


def test_a_web_session_does_not_authenticate_the_api(csrf_app, world):
    client = _signed_in(csrf_app, "producer")
    assert client.post("/api/v1/products", json={"name": "Chè", "product_set": "x"}).status_code == 401
