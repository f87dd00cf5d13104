"""API tokens: issued for the right password, stored hashed, refused when absent, wrong, expired or revoked."""
from __future__ import annotations

import hashlib
import logging
from datetime import UTC, datetime, timedelta

import pytest

from ocop_tracker.accounts.models import ApiToken
from ocop_tracker.extensions import db

from ..factories import PASSWORD


def issue(client, username: str = "producer", password: str = PASSWORD, **extra):
    return client.post("/api/v1/auth/token", json={"username": username, "password": password, **extra})


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def error_code(response) -> str:
    body = response.get_json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}, body
    return body["error"]["code"]


def test_token_is_issued_for_the_right_password_and_stored_hashed(world, client):
    response = issue(client, name="cổng tỉnh")
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"token", "expires_at"}
    expires = datetime.fromisoformat(body["expires_at"])
    assert expires.utcoffset() == timedelta(hours=7)
    assert timedelta(days=29) < expires - datetime.now(UTC) <= timedelta(days=30)
    stored = db.session.scalar(db.select(ApiToken))
    assert stored.user_id == world["producer"].id and stored.name == "cổng tỉnh"
    assert body["token"] not in stored.token_hash and len(stored.token_hash) == 64


def test_token_lifetime_comes_from_configuration(app, world, client):
    app.config["API_TOKEN_HOURS"] = 2
    expires = datetime.fromisoformat(issue(client).get_json()["expires_at"])
    assert expires - datetime.now(UTC) <= timedelta(hours=2)


@pytest.mark.parametrize("username, password", [("producer", "wrong-password"), ("nobody", PASSWORD)])
def test_wrong_credentials_are_refused(world, client, username, password):
    response = issue(client, username, password)
    assert response.status_code == 401 and error_code(response) == "invalid_credentials"
    assert db.session.scalar(db.select(db.func.count(ApiToken.id))) == 0


def test_inactive_user_gets_no_token(world, client):
    world["producer"].active = False
    db.session.commit()
    assert issue(client).status_code == 401


def test_missing_credentials_are_an_authentication_failure(world, client):
    for body in ({}, {"username": "producer"}, {"username": "producer", "password": ""}):
        response = client.post("/api/v1/auth/token", json=body)
        assert response.status_code == 401 and error_code(response) == "credentials_required"
    for empty in (b"", b"  \n"):  # no body at all: no credentials presented
        response = client.post("/api/v1/auth/token", data=empty, content_type="application/json")
        assert response.status_code == 401 and error_code(response) == "credentials_required"


@pytest.mark.parametrize("data, code", [
    ('{"username": "producer", ', "malformed_json"),
    ("[1, 2]", "invalid_body"),
    ('{"username": "producer", "password": "x", "admin": true}', "unknown_fields"),
    ('{"username": 7, "password": "x"}', "invalid_fields"),
    (b"\xff\xfe", "malformed_json"),
])
def test_malformed_bodies_are_400_json_errors(world, client, data, code):
    response = client.post("/api/v1/auth/token", data=data, content_type="application/json")
    assert response.status_code == 400 and response.is_json and error_code(response) == code


def test_sign_in_brake_applies_to_token_requests(app, world, client):
    app.config["SIGN_IN_FREE_FAILURES"] = 2
    for _ in range(2):
        issue(client, password="wrong-password")
    response = issue(client)
    assert response.status_code == 429 and error_code(response) == "too_many_attempts"
    assert int(response.headers["Retry-After"]) > 0


def from_address(client, address: str, username: str = "admin", password: str = PASSWORD):
    return client.post("/api/v1/auth/token", json={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_an_attacker_cannot_lock_the_owner_out_of_tokens(app, world, client):
    app.config.update(SIGN_IN_FREE_FAILURES=3, SIGN_IN_ACCOUNT_FREE_FAILURES=4)
    for _ in range(8):
        from_address(client, "203.0.113.66", password="wrong-password")
    assert from_address(client, "203.0.113.66").status_code == 429  # the attacker's right guess is refused
    assert from_address(client, "198.51.100.20").status_code == 201  # the owner, from elsewhere, gets in


def test_the_accounts_bar_slows_every_address_that_failed_against_it(app, world, client):
    app.config.update(SIGN_IN_FREE_FAILURES=3, SIGN_IN_ACCOUNT_FREE_FAILURES=4)
    for number in range(4):
        assert from_address(client, f"192.0.2.{number}", password="wrong-password").status_code == 401
    response = from_address(client, "192.0.2.3")
    assert response.status_code == 429 and error_code(response) == "too_many_attempts"


def test_an_unknown_name_costs_the_same_hash_work(world, client, monkeypatch):
    """No timing: the password hash runs as often and as long for an unknown name as for a known one."""
    calls = []
    real = hashlib.pbkdf2_hmac
    monkeypatch.setattr(hashlib, "pbkdf2_hmac", lambda *args, **kw: calls.append(args[3]) or real(*args, **kw))
    work = {}
    for name in ("nobody", "producer", "nobody-else"):
        calls.clear()
        assert issue(client, name, "wrong-password").status_code == 401
        work[name] = list(calls)
    assert work["producer"] == [1000] and work["nobody-else"] == work["producer"]


def test_failed_token_requests_are_logged_without_the_password(app, world, client, caplog):
    caplog.set_level(logging.INFO, logger="ocop_tracker.accounts")
    app.config["SIGN_IN_FREE_FAILURES"] = 1
    from_address(client, "203.0.113.66", password="Bi-mat-rat-dai-7")
    from_address(client, "203.0.113.66", password="Bi-mat-rat-dai-8")
    messages = [record.getMessage() for record in caplog.records]
    assert "failed sign-in: channel=api username='admin' address=203.0.113.66" in messages
    assert any(m.startswith("sign-in refused while slowed down: channel=api username='admin'") for m in messages)
    assert "Bi-mat-rat-dai" not in caplog.text


def test_revoked_token_is_refused_afterwards(world, client):
    token = issue(client).get_json()["token"]
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200
    assert client.delete("/api/v1/auth/token", headers=bearer(token)).status_code == 204
    response = client.get("/api/v1/me", headers=bearer(token))
    assert response.status_code == 401 and error_code(response) == "invalid_token"
    assert db.session.scalar(db.select(ApiToken)).revoked_at is not None


def test_expired_token_is_refused(world, client):
    token = issue(client).get_json()["token"]
    db.session.scalar(db.select(ApiToken)).expires_at = datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()
    response = client.get("/api/v1/me", headers=bearer(token))
    assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer not-a-token", "Basic cHJvZHVjZXI6eA=="])
def test_missing_or_bad_token_is_401_json(world, client, header):
    response = client.get("/api/v1/me", headers={"Authorization": header} if header else {})
    assert response.status_code == 401 and error_code(response) in ("token_required", "invalid_token")


def test_a_signed_in_browser_cookie_is_no_api_credential(world, login_as):
    response = login_as("producer").get("/api/v1/me")
    assert response.status_code == 401 and error_code(response) == "token_required"


def test_token_request_needs_no_csrf_token(app, world, client):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert issue(client).status_code == 201
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
