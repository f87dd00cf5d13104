"""Apps with their own operations settings, on the test database the `app` fixture empties afterwards."""
from __future__ import annotations

import json

import pytest
from flask import Flask

from ocop_tracker import create_app
from ocop_tracker.extensions import db

from ..clients import SeparateRequestsClient
from ..factories import PASSWORD

BOOM = "boom for the test"


@pytest.fixture()
def make_app(app, database_url, tmp_path):
    """A factory of apps built by create_app with extra settings (TESTING=False: the production error handler)."""
    made: list[Flask] = []

    def build(**settings) -> Flask:
        config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "test-secret",
                  "WTF_CSRF_ENABLED": False, **settings}
        other = create_app(config, instance_path=str(tmp_path / f"instance-{len(made)}"))
        other.test_client_class = SeparateRequestsClient
        made.append(other)
        return other

    yield build
    for other in made:
        with other.app_context():
            db.engine.dispose()  # PostgreSQL: no connection left open across the `app` fixture's TRUNCATE


def add_failing_route(app: Flask) -> None:
    """A test-only route that fails the way a bug would."""
    @app.get("/test-only/boom")
    def boom():
        raise RuntimeError(BOOM)


def signed_in(app: Flask, username: str):
    client = app.test_client()
    assert client.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302
    return client


def json_lines(text: str) -> list[dict]:
    """The JSON log lines of a capture (Alembic's own console lines are text)."""
    return [json.loads(line) for line in text.splitlines() if line.startswith("{")]
