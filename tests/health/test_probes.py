"""/healthz and /readyz: public, JSON, never cached, no cookie; readiness names the check that fails."""
from __future__ import annotations

from pathlib import Path

import pytest

PROBES = ("/healthz", "/readyz")


@pytest.mark.parametrize("path", PROBES)
def test_probes_answer_anonymous_callers_without_a_cookie_or_a_cache(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers.getlist("Set-Cookie") == []
    assert len(response.headers["X-Request-ID"]) == 32


def test_healthz_says_only_that_the_process_is_up(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_readyz_reports_each_check(client):
    assert client.get("/readyz").get_json() == {"status": "ok", "checks": {"database": "ok", "storage": "ok"}}


@pytest.mark.parametrize("path", PROBES)
def test_probes_answer_a_signed_in_browser_too(login_as, world, path):
    assert login_as("producer").get(path).status_code == 200


def test_readyz_is_503_when_the_storage_folder_is_gone(make_app, tmp_path):
    folder = tmp_path / "shared" / "uploads"
    client = make_app(STORAGE_FOLDER=str(folder)).test_client()
    assert client.get("/readyz").status_code == 200
    folder.rmdir()  # an unmounted share, say
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "unavailable" and body["failed"] == ["storage"]
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["storage"].startswith("unavailable (")
    assert str(tmp_path) not in response.get_data(as_text=True)  # no server path in a public answer
    assert response.headers["Cache-Control"] == "no-store"


def test_readyz_is_503_when_the_database_is_unreachable(make_app, tmp_path):
    gone = Path(tmp_path) / "no-such-folder" / "db.sqlite3"
    response = make_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{gone}").test_client().get("/readyz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["failed"] == ["database"] and body["checks"]["storage"] == "ok"
    assert body["checks"]["database"] == "unavailable (OperationalError)"
    assert "Traceback" not in response.get_data(as_text=True)


def test_readyz_is_503_when_postgresql_refuses_connections(make_app):
    app = make_app(SQLALCHEMY_DATABASE_URI="postgresql+psycopg://postgres@127.0.0.1:1/nothing-listens-here")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["failed"] == ["database"]
    assert "127.0.0.1" not in response.get_data(as_text=True)
