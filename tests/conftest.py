"""Test fixtures: the real app on a real database — SQLite always, PostgreSQL when configured."""
from __future__ import annotations

import inspect
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, make_url, text

from ocop_tracker import create_app
from ocop_tracker.extensions import db
from ocop_tracker.rules.services import load_shipped_calendar
from ocop_tracker.storage.setup import EXTENSION_KEY as STORAGE_KEY
from ocop_tracker.storage.setup import make_storage

from .clients import Joined, SeparateRequestsClient, browser, close_responses, join_sessions_of  # noqa: F401  browser
from .factories import World, build_world


def _own_database(url: str | None) -> str | None:
    """Under pytest-xdist (`make test` runs `-n auto`) each worker runs on its own PostgreSQL database, named after
    the configured one plus the worker's id (`…_gw0`), made empty at its start and dropped at its end."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    return make_url(url).set(database=f"{make_url(url).database}_{worker}").render_as_string(hide_password=False)


PG_URL = _own_database(os.environ.get("OCOP_TEST_DATABASE_URL"))
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


def pytest_report_header(config):
    if PG_URL:
        return "databases: SQLite and PostgreSQL (OCOP_TEST_DATABASE_URL)"
    return "databases: SQLite only — OCOP_TEST_DATABASE_URL is not set, the PostgreSQL run is skipped"


def pytest_collection_modifyitems(items):
    """Tests that reach the database from outside the test's connection (their own processes, apps or engines
    made from `database_url`, `make_app`) or need PostgreSQL's real concurrency commit for real."""
    for item in items:
        function = getattr(item, "function", None)
        direct = inspect.signature(function).parameters if function else {}
        if ("database_url" in direct or "make_app" in getattr(item, "fixturenames", ())
                or item.get_closest_marker("postgres_only")):
            item.add_marker(pytest.mark.committing)


def _make_app(url: str, instance_path, **extra):
    config = {"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test-secret",
              "WTF_CSRF_ENABLED": False,
              "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", **extra}
    return create_app(config, instance_path=str(instance_path))


@pytest.fixture(scope="session")
def sqlite_folder(tmp_path_factory):
    """Where the SQLite test database lives: in memory (/dev/shm) where there is one, so commits flush no disk."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path_factory.mktemp("sqlite")
        return
    folder = Path(tempfile.mkdtemp(prefix="ocop-test-", dir=shm))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _server_command(sql: str) -> None:
    server = create_engine(make_url(PG_URL).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(sql))
    server.dispose()


def _worker_database(finalizers: list) -> None:
    """This worker's own PostgreSQL database, dropped when the run ends (see _own_database)."""
    name = make_url(PG_URL).database
    _server_command(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _server_command(f'CREATE DATABASE "{name}"')
    finalizers.append(lambda: _server_command(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


_MIGRATED: dict[str, str] = {}  # backend → URL: a worker may leave a backend and come back to it (xdist)


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory):
    """A database built from nothing by the Alembic migrations, once per backend and process."""
    if request.param in _MIGRATED:
        return _MIGRATED[request.param]
    if request.param == "postgresql":
        url = PG_URL
        if os.environ.get("PYTEST_XDIST_WORKER"):
            _worker_database(request.session.ocop_finalizers)
    else:
        url = f"sqlite:///{request.getfixturevalue('sqlite_folder') / 'ocop-test.sqlite3'}"
    app = _make_app(url, tmp_path_factory.mktemp("instance"))
    with app.app_context():
        if request.param == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade()
        db.engine.dispose()
    _MIGRATED[request.param] = url
    return url


def pytest_sessionstart(session):
    session.ocop_finalizers = []


def pytest_sessionfinish(session):
    for finalizer in getattr(session, "ocop_finalizers", ()):
        finalizer()


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


@pytest.fixture(scope="session")
def shared_app(database_url, tmp_path_factory):
    """One app per backend for the whole run: building one costs ~230 ms (Werkzeug compiles every route)."""
    app = _make_app(database_url, tmp_path_factory.mktemp("shared-instance"))
    app.test_client_class = SeparateRequestsClient
    with app.app_context():
        _empty_tables()  # the state every test starts from: empty tables and the shipped calendar
        db.engine.dispose()
    join_sessions_of(db.session.session_factory)
    yield app
    with app.app_context():
        db.engine.dispose()  # no pooled connection left open at exit (psycopg's ResourceWarning)


def _committing(request, app_config: dict) -> bool:
    return bool(app_config) or request.node.get_closest_marker("committing") is not None


@pytest.fixture()
def app(request, database_url, tmp_path, app_config):
    """The app a test acts on, its database emptied again afterwards.

    Most tests share one app and run inside a transaction of one connection that is rolled back at the end: the
    code's commits only release savepoints (see join_sessions_of). A test marked `committing` (threads or processes
    of its own, backups, migrations) or with settings of its own (`app_config`) gets a fresh app that really
    commits, and the tables are emptied after it."""
    if _committing(request, app_config):
        yield from _committing_app(database_url, tmp_path, app_config)
    else:
        yield from _rolled_back_app(request.getfixturevalue("shared_app"), tmp_path)
    close_responses()


def _committing_app(database_url, tmp_path, app_config):
    app = _make_app(database_url, tmp_path / "instance", **app_config)
    app.test_client_class = SeparateRequestsClient  # each request in its own app context, as in production
    with app.app_context():
        yield app
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


def _rolled_back_app(app, tmp_path):
    """The shared app with this test's own instance folder (files, mails) and settings, and a transaction
    rolled back at the end; the settings, folder and storage are put back afterwards."""
    config, instance_path, storage = dict(app.config), app.instance_path, app.extensions[STORAGE_KEY]
    app.instance_path = str(tmp_path / "instance")
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.extensions[STORAGE_KEY] = make_storage(app)
    try:
        with app.app_context():
            connection = db.engine.connect()
            outer = connection.begin()
            Joined.app_and_connection = app, connection
            try:
                yield app
            finally:
                db.session.remove()
                Joined.app_and_connection = None
                outer.rollback()
                connection.close()
    finally:
        app.config.clear()
        app.config.update(config)
        app.instance_path, app.extensions[STORAGE_KEY] = instance_path, storage


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
