"""Engine set-up: the embedded SQLite default and its pragmas."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine


def sqlite_uri(instance_path: Path) -> str:
    """The embedded default database, inside the instance folder."""
    return f"sqlite:///{instance_path / 'ocop_tracker.sqlite3'}"


def configure_sqlite(engine: Engine) -> None:
    """WAL, foreign keys, a busy timeout, and writes that take the lock up front."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not pysqlite, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # BEGIN IMMEDIATE: two writers queue for the lock instead of failing at commit.
        connection.exec_driver_sql("BEGIN IMMEDIATE")
