"""Test fixtures: the real app on a real database — SQLite always, PostgreSQL when configured."""
from __future__ import annotations

import os

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from ocop_tracker import create_app
from ocop_tracker.extensions import db
from ocop_tracker.rules.services import load_shipped_calendar

from .clients import SeparateRequestsClient, browser  # noqa: F401  the browser fixture
from .factories import World, build_world

PG_URL = os.environ.get("OCOP_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


def pytest_report_header(config):
    if PG_URL:
        return "databases: SQLite and PostgreSQL (OCOP_TEST_DATABASE_URL)"
    return "databases: SQLite only — OCOP_TEST_DATABASE_URL is not set, the PostgreSQL run is skipped"


def _make_app(url: str, instance_path, **extra):
    config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test-secret",
              "WTF_CSRF_ENABLED": False,
              "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", **extra}
    return create_app(config, instance_path=str(instance_path))


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory):
    """A database built from nothing by the Alembic migrations, once per backend."""
    if request.param == "postgresql":
        url = PG_URL
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'ocop-test.sqlite3'}"
    app = _make_app(url, tmp_path_factory.mktemp("instance"))
    with app.app_context():
        if request.param == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        db.engine.dispose()
    return url


def _empty_tables() -> None:
    db.session.rollback()
    tables = db.metadata.sorted_tables
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(table.name for table in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in reversed(tables):
            db.session.execute(table.delete())
    load_shipped_calendar()  # reference data the migrations put there, back for the next test
    db.session.commit()


@pytest.fixture()
def app_config() -> dict:
    """Extra settings of the `app` fixture; a test folder overrides it (the storage tests run on S3 too)."""
    return {}


@pytest.fixture()
def app(database_url, tmp_path, app_config):
    app = _make_app(database_url, tmp_path / "instance", **app_config)
    app.test_client_class = SeparateRequestsClient  # each request in its own app context, as in production
    with app.app_context():
        yield app
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


@pytest.fixture()
def backend(app) -> str:
    return db.engine.dialect.name


@pytest.fixture()
def world(app) -> World:
    """Units, organisations, users and councils that most tests act with."""
    built = build_world()
    db.session.commit()
    return built


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def login_as(client):
    def login(username: str, password: str = "secret-pass-1"):
        response = client.post("/login", data={"username": username, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return client
    return login
