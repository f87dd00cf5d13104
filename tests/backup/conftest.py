"""Fixtures of the backup tests: a second, empty installation to restore into, and the CLI run in an app's context."""
from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, make_url, text

from ocop_tracker import create_app
from ocop_tracker.extensions import db

from ..conftest import PG_URL


def run(app, *args: str):
    """A flask command in this app's context (the CLI would otherwise use whichever app is current)."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=list(args))


def counts_of(app) -> dict[str, int]:
    """Rows per table, counted here independently of the backup package."""
    with app.app_context(), db.engine.connect() as connection:
        return {name: connection.scalar(text(f'SELECT count(*) FROM "{name}"'))
                for name in inspect(connection).get_table_names()}


def manifest_of(archive: Path) -> dict:
    with tarfile.open(archive) as tar:
        return json.load(tar.extractfile("manifest.json"))


def rewrite_manifest(archive: Path, dest: Path, drop: tuple[str, ...] = (), **changes) -> Path:
    """A copy of the archive whose manifest says something else (or leaves out the `drop` keys)."""
    manifest = {key: value for key, value in {**manifest_of(archive), **changes}.items() if key not in drop}
    with tarfile.open(archive) as source, tarfile.open(dest, "w") as tar:
        for member in source.getmembers():
            if member.name != "manifest.json":
                tar.addfile(member, source.extractfile(member))
        data = json.dumps(manifest).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return dest


def _server(url: str):
    return create_engine(url, isolation_level="AUTOCOMMIT")


@pytest.fixture()
def target(app, tmp_path):
    """A fresh installation: its own instance folder and an empty database of the same dialect as `app`'s."""
    folder = tmp_path / "restored"
    if db.engine.dialect.name == "postgresql":
        url = make_url(PG_URL).set(database=make_url(PG_URL).database + "_restore")
        server = _server(PG_URL)
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{url.database}"'))
        url = url.render_as_string(hide_password=False)
    else:
        url = f"sqlite:///{folder / 'ocop_tracker.sqlite3'}"
    restored = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test-secret",
                           "WTF_CSRF_ENABLED": False},
                          instance_path=str(folder))
    yield restored
    with restored.app_context():
        db.session.remove()
        db.engine.dispose()
    if db.engine.dialect.name == "postgresql":
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
        server.dispose()
