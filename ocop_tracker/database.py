"""Engine set-up: the embedded SQLite default and its pragmas."""
from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

# Requests that change nothing (RFC 9110 "safe" methods): their transactions only read.
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# How long a statement waits for a lock before "database is locked": SQLite's busy timeout, and the longest a
# write waits for its turn (wait_for_write_lock).
LOCK_WAIT_MS = 10_000
# How long a waiting write pauses before asking for the write lock again (seconds): 5 ms when it starts waiting,
# less the longer it has waited, down to 0.5 ms after 90 ms (wait_for_write_lock).
FIRST_PAUSE, LAST_PAUSE = 0.005, 0.0005


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
        cursor.execute(f"PRAGMA busy_timeout={LOCK_WAIT_MS}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        if reads_only():
            connection.exec_driver_sql("BEGIN")
        else:
            wait_for_write_lock(connection)


def wait_for_write_lock(connection) -> None:
    """BEGIN IMMEDIATE, asked again more and more often until it gets the write lock (at most LOCK_WAIT_MS).

    Not SQLite's busy handler: it sleeps 1, 2, 5, 10 … then 100 ms between tries and never queues, so under a steady
    stream of writes a waiting write only gets the lock if one of its rare tries falls in the instant between
    another write's COMMIT and the next BEGIN IMMEDIATE; the writer that has just committed, asking again at once,
    wins nearly every time. Four busy writers starved one for the whole 10 s timeout ("database is locked" at
    BEGIN IMMEDIATE after 10.1 s, bench/sqlite_writers.py). Here a write asks again after a pause that shrinks
    as it waits (5 ms, down to 0.5 ms after 90 ms): the writes that have waited longest ask most often, so they
    take the lock at the next free instant, nearly in turn, instead of the newest. The busy timeout stays for
    everything else (a read while another process recovers the WAL, the pragmas on connecting)."""
    raw = connection.connection.driver_connection
    raw.execute("PRAGMA busy_timeout=0")
    start = time.monotonic()
    try:
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")  # seen by the statement events, as any statement
            return
        except OperationalError as error:
            if not _busy(error.orig):
                raise
        while True:  # the retries on the driver's connection: no SQLAlchemy error built every millisecond
            waited = time.monotonic() - start
            time.sleep(min(FIRST_PAUSE, max(LAST_PAUSE, FIRST_PAUSE - waited / 20)))
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as error:
                if not _busy(error) or time.monotonic() - start >= LOCK_WAIT_MS / 1000:
                    raise OperationalError("BEGIN IMMEDIATE", (), error) from error
    finally:
        raw.execute(f"PRAGMA busy_timeout={LOCK_WAIT_MS}")


def _busy(error: BaseException | None) -> bool:
    """SQLITE_BUSY or one of its extended codes ("database is locked")."""
    return getattr(error, "sqlite_errorcode", 0) & 0xFF == sqlite3.SQLITE_BUSY


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
