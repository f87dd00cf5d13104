"""SQLite: a page's long read never blocks a writer (issue 13: 4 writers and a CSV download gave "database is
locked" 500s). GET requests begin deferred (WAL readers take no lock); everything else begins IMMEDIATE."""
from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from sqlalchemy import make_url, text

from ocop_tracker.extensions import db

pytestmark = pytest.mark.committing


def _begins(app, method: str | None) -> str:
    """The BEGIN a transaction opened in a request with `method` (None: a command, no request) sends."""
    sent: list[str] = []
    with app.app_context():
        connection = db.engine.connect()
        original = connection.exec_driver_sql

        def spy(statement, *args, **kwargs):
            sent.append(statement)
            return original(statement, *args, **kwargs)

        connection.exec_driver_sql = spy  # type: ignore[method-assign]
        if method is None:
            connection.begin()
        else:
            with app.test_request_context("/", method=method):
                connection.begin()
        connection.rollback()
        connection.close()
    return sent[0]


def test_reads_begin_deferred_and_writes_immediate(app, backend):
    if backend != "sqlite":
        pytest.skip("the BEGIN kinds are SQLite's")
    assert _begins(app, "GET") == "BEGIN"
    assert _begins(app, "HEAD") == "BEGIN"
    assert _begins(app, "POST") == "BEGIN IMMEDIATE"
    assert _begins(app, None) == "BEGIN IMMEDIATE"


def test_a_long_read_does_not_block_a_writer(app, backend):
    if backend != "sqlite":
        pytest.skip("PostgreSQL readers never block writers")
    reading, written, done = threading.Event(), threading.Event(), threading.Event()
    seen: dict[str, object] = {}

    def long_get() -> None:
        with app.app_context(), app.test_request_context("/reports/export.csv", method="GET"):
            seen["before"] = db.session.execute(text("SELECT count(*) FROM unit_levels")).scalar()
            reading.set()  # the read transaction is open, and stays open until the writer is done
            written.wait(timeout=30)
            seen["during"] = db.session.execute(text("SELECT count(*) FROM unit_levels")).scalar()
            db.session.rollback()
        done.set()

    reader = threading.Thread(target=long_get)
    reader.start()
    assert reading.wait(timeout=30)
    try:
        # A command or service: BEGIN IMMEDIATE, as a POST's would. Were the reader holding the write lock, this
        # would wait out the busy timeout and fail with "database is locked".
        with app.app_context():
            db.session.execute(text(
                "INSERT INTO unit_levels (code, rank, name_vi, name_en) VALUES ('hamlet', 9, 'Thôn', 'Hamlet')"))
            db.session.commit()
            seen["written"] = True
    finally:
        written.set()
        reader.join(timeout=30)
    assert done.is_set() and seen["written"] is True
    assert seen["before"] == seen["during"]  # the reader kept its snapshot


def test_a_write_gets_its_turn_among_busy_writers(app, backend, database_url):
    """Another connection writes without pause (30 ms transactions, 1 ms between them): a write of ours gets the lock
    within one or two of its transactions (18–58 ms here). SQLite's busy handler alone sleeps up to 100 ms between
    tries and finds the free millisecond by chance: these writes waited 0.02–7.6 s, and in bench/sqlite_writers.py
    one starved for the whole 10 s timeout ("database is locked" at BEGIN IMMEDIATE)."""
    if backend != "sqlite":
        pytest.skip("the write lock's queue is SQLite's")
    started, stop = threading.Event(), threading.Event()

    def busy_writer() -> None:
        connection = sqlite3.connect(make_url(database_url).database, isolation_level=None, timeout=30)
        try:
            while not stop.is_set():
                connection.execute("BEGIN IMMEDIATE")
                started.set()
                time.sleep(0.03)
                connection.execute("COMMIT")
                time.sleep(0.001)
        finally:
            connection.close()

    other = threading.Thread(target=busy_writer)
    other.start()
    waits = []
    try:
        assert started.wait(timeout=30)
        for rank in range(10, 16):
            time.sleep(0.1)  # the other writer back to its pace (it queued behind our last write)
            start = time.monotonic()
            db.session.execute(text("INSERT INTO unit_levels (code, rank, name_vi, name_en) "
                                    f"VALUES ('level{rank}', {rank}, 'Cấp {rank}', 'Level {rank}')"))
            db.session.commit()
            waits.append(time.monotonic() - start)
    finally:
        stop.set()
        other.join(timeout=30)
    assert max(waits) < 1, [round(wait, 3) for wait in waits]
