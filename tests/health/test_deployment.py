"""Behind a proxy (PROXY_COUNT), HSTS, the BASE_URL warning, and `make run PORT=… HOST=…`."""
from __future__ import annotations

import logging
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from ocop_tracker.accounts.models import SignInAttempt
from ocop_tracker.extensions import db

from ..factories import PASSWORD
from .conftest import signed_in

ATTACKER, OWNER = "203.0.113.66", "198.51.100.20"
BRAKE = {"SIGN_IN_FREE_FAILURES": 2, "SIGN_IN_ADDRESS_FREE_FAILURES": 2, "SIGN_IN_ACCOUNT_FREE_FAILURES": 50}
REPO = Path(__file__).resolve().parents[2]


def _sign_in(client, password: str, forwarded_for: str):
    return client.post("/login", data={"username": "admin", "password": password},
                       headers={"X-Forwarded-For": forwarded_for})


def _recorded_addresses() -> set[str]:
    return set(db.session.scalars(db.select(SignInAttempt.remote_addr)))


def test_behind_one_proxy_the_brake_counts_the_forwarded_address(make_app, world):
    client = make_app(PROXY_COUNT=1, **BRAKE).test_client()
    for _ in range(3):
        _sign_in(client, "wrong-password", ATTACKER)
    assert _sign_in(client, PASSWORD, ATTACKER).status_code == 429  # the guesser is slowed
    assert _sign_in(client, PASSWORD, OWNER).status_code == 302  # everyone else behind the proxy is not
    assert _recorded_addresses() == {ATTACKER, OWNER}


def test_without_proxies_the_forwarded_header_is_ignored(make_app, world):
    client = make_app(PROXY_COUNT=0, **BRAKE).test_client()
    for _ in range(3):
        _sign_in(client, "wrong-password", ATTACKER)
    assert _sign_in(client, PASSWORD, OWNER).status_code == 429  # a written header is no way around the brake
    assert _recorded_addresses() == {"127.0.0.1"}


def test_behind_one_proxy_only_the_last_forwarded_address_counts(make_app, world):
    client = make_app(PROXY_COUNT=1).test_client()
    _sign_in(client, "wrong-password", f"10.9.9.9, {ATTACKER}")  # the first one was written by the caller
    assert _recorded_addresses() == {ATTACKER}


@pytest.mark.parametrize("bad", [-1, "two", True, 1.5])
def test_a_wrong_proxy_count_stops_the_start(make_app, bad):
    with pytest.raises(RuntimeError, match="PROXY_COUNT must be a whole number"):
        make_app(PROXY_COUNT=bad)


@pytest.mark.parametrize("path", ["/login", "/healthz", "/api/v1/me", "/static/app.css"])
def test_hsts_is_on_every_response_when_set(make_app, path):
    response = make_app(HSTS_SECONDS=31536000).test_client().get(path)
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_no_hsts_by_default(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers


def test_a_wrong_hsts_setting_stops_the_start(make_app):
    with pytest.raises(RuntimeError, match="HSTS_SECONDS must be a whole number"):
        make_app(HSTS_SECONDS="one year")


def _base_url_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "ocop_tracker.deployment" and "BASE_URL" in r.getMessage()]


def test_a_server_on_the_default_base_url_warns_once_when_it_starts_serving(make_app, caplog):
    caplog.set_level(logging.WARNING, logger="ocop_tracker.deployment")
    client = make_app(TESTING=False).test_client()
    assert _base_url_warnings(caplog) == []  # a CLI command that serves nothing stays quiet
    client.get("/healthz")
    client.get("/healthz")
    assert len(_base_url_warnings(caplog)) == 1
    caplog.clear()
    for quiet in (make_app(TESTING=False, BASE_URL="https://ocop.phutho.gov.vn"), make_app(TESTING=False, DEBUG=True),
                  make_app()):  # set, debug, tests
        quiet.test_client().get("/healthz")
    assert _base_url_warnings(caplog) == []


@pytest.mark.parametrize("path", ["/admin/", "/admin/users", "/admin/units"])
def test_the_admin_pages_warn_about_the_default_base_url(make_app, world, path):
    page = signed_in(make_app(TESTING=False), "admin").get(path).get_data(as_text=True)
    assert 'id="base-url-warning"' in page and "http://127.0.0.1:5000" in page


def test_no_banner_once_base_url_is_set(make_app, world):
    client = signed_in(make_app(TESTING=False, BASE_URL="https://ocop.phutho.gov.vn"), "admin")
    assert 'id="base-url-warning"' not in client.get("/admin/").get_data(as_text=True)


@pytest.mark.skipif(shutil.which("make") is None, reason="no make here")
@pytest.mark.parametrize("args, listens", [([], "--host 127.0.0.1 --port 5000"),
                                           (["PORT=5001", "HOST=0.0.0.0"], "--host 0.0.0.0 --port 5001")])
def test_make_run_listens_where_it_is_told(args, listens):
    environment = {name: value for name, value in os.environ.items() if name not in ("PORT", "HOST")}
    dry_run = subprocess.run(["make", "-n", "-W", "pyproject.toml", "run", "VENV=/nonexistent", *args],
                             cwd=REPO, env=environment, capture_output=True, text=True, check=True).stdout
    assert f"/nonexistent/bin/flask --app ocop_tracker run {listens}" in dry_run
