"""Engine set-up: the embedded SQLite default and its pragmas."""
from __future__ import annotations

from pathlib import Path

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

# Requests that change nothing (RFC 9110 "safe" methods): their transactions only read.
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def sqlite_uri(instance_path: Path) -> str:
    """The embedded default database, inside the instance folder."""
    return f"sqlite:///{instance_path / 'ocop_tracker.sqlite3'}"


def configure_sqlite(engine: Engine) -> None:
    """WAL, foreign keys, a busy timeout; reads that never block a writer, writes that take the lock up front."""

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
        connection.exec_driver_sql("BEGIN" if reads_only() else "BEGIN IMMEDIATE")


def reads_only() -> bool:
    """Whether this transaction is a page's read: BEGIN (deferred) then, BEGIN IMMEDIATE for everything else.

    Under WAL a deferred transaction that only reads takes no lock: a long GET (a CSV download) never makes a
    writer wait. Every other request, command and service begins IMMEDIATE: it takes the write lock up front and
    queues for it (busy_timeout), so two writers never fail at commit. Not "deferred, upgraded at the first
    write": a deferred transaction that has read and then writes after another writer committed fails at once
    with SQLITE_BUSY (its snapshot is stale; the busy timeout cannot help), so whatever may write must start
    IMMEDIATE. GET pages change nothing; the one write a GET may make (an API token's coarse last-use time) is
    best-effort (api/views.py)."""
    return has_request_context() and request.method in READING_METHODS
