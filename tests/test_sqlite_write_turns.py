"""SQLite: the threads of one process take the write lock first come, first served (issue 13: 4 writers' p95), and
a turn never outlives its write (no deadlock)."""
from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import text

from ocop_tracker.database import WriteTurns, write_turns
from ocop_tracker.extensions import db

pytestmark = pytest.mark.committing


def _insert(rank: int) -> None:
    db.session.execute(text("INSERT INTO unit_levels (code, rank, name_vi, name_en) "
                            f"VALUES ('level{rank}', {rank}, 'Cấp {rank}', 'Level {rank}')"))


def _until(condition, what: str) -> None:
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.005)


def test_writes_take_the_lock_in_the_order_they_asked(app, backend):
    """One write holds the lock while six more ask for it, one after the other; each got it in its turn. Before,
    the waiting writes asked SQLite again and again (wait_for_write_lock) and the first to ask after a COMMIT won,
    whichever had waited longest."""
    if backend != "sqlite":
        pytest.skip("the write turns are SQLite's")
    turns = write_turns(db.engine)
    holding, release = threading.Event(), threading.Event()
    order: list[int] = []

    def first() -> None:
        with app.app_context():
            _insert(20)
            holding.set()
            release.wait(timeout=30)
            db.session.commit()

    def writer(rank: int) -> None:
        with app.app_context():
            _insert(rank)  # BEGIN IMMEDIATE has answered: this write holds the lock
            order.append(rank)
            time.sleep(0.01)  # the others are asking meanwhile
            db.session.commit()

    ranks = list(range(21, 27))
    threads = [threading.Thread(target=first)] + [threading.Thread(target=writer, args=(rank,)) for rank in ranks]
    threads[0].start()
    try:
        assert holding.wait(timeout=30)
        for waiting, thread in enumerate(threads[1:], start=1):
            thread.start()
            _until(lambda waiting=waiting: turns.waiting == waiting, f"{waiting} writes waiting")
    finally:
        release.set()
        for thread in threads:
            thread.join(timeout=30)
    assert order == ranks
    assert turns.waiting == 0
    assert db.session.execute(text("SELECT count(*) FROM unit_levels WHERE rank >= 20")).scalar() == 7


def test_a_write_left_unfinished_gives_its_turn_back(app, backend):
    """A connection closed inside its write (returned to the pool: ROLLBACK) and a write that failed and was rolled
    back both give their turn back: were a turn kept, the next write would wait out the timeout and fail ("database
    is locked")."""
    if backend != "sqlite":
        pytest.skip("the write turns are SQLite's")

    def closed_inside_a_write() -> None:
        with app.app_context():
            connection = db.engine.connect()
            connection.begin()
            connection.exec_driver_sql("INSERT INTO unit_levels (code, rank, name_vi, name_en) "
                                       "VALUES ('lost', 30, 'Mất', 'Lost')")
            connection.close()

    def failed_write() -> None:
        with app.app_context():
            _insert(31)
            try:
                _insert(31)  # the same code again: refused
            except Exception:  # noqa: BLE001  the refusal is the point
                db.session.rollback()

    for unfinished in (closed_inside_a_write, failed_write):
        thread = threading.Thread(target=unfinished)
        thread.start()
        thread.join(timeout=30)
        _insert(32)
        db.session.commit()
        db.session.execute(text("DELETE FROM unit_levels WHERE rank = 32"))
        db.session.commit()
    assert db.session.execute(text("SELECT count(*) FROM unit_levels WHERE rank >= 30")).scalar() == 0


def _take_in_another_thread(turns: WriteTurns, timeout: float) -> bool:
    taken: list[bool] = []

    def take() -> None:
        connection = object()
        taken.append(turns.take(connection, timeout))
        if taken[0]:
            turns.give_back(connection)

    thread = threading.Thread(target=take)
    thread.start()
    thread.join(timeout=30)
    return taken[0]


def test_a_thread_holding_the_turn_does_not_wait_for_itself():
    """A second write connection opened inside a write of the same thread goes straight on (SQLite answers it, as
    before); the turn stays taken until both have finished."""
    turns, outer, inner = WriteTurns(), object(), object()
    assert turns.take(outer, 1)
    assert turns.take(inner, 0)  # no wait at all
    turns.give_back(inner)
    assert not _take_in_another_thread(turns, 0.05)
    turns.give_back(outer)
    assert _take_in_another_thread(turns, 1)
    turns.give_back(object())  # a connection that held no turn: nothing happens


def test_a_write_that_gives_up_leaves_its_place_to_the_next():
    turns, holder = WriteTurns(), object()
    assert turns.take(holder, 1)
    outcome: dict[str, bool] = {}

    def ask(name: str, timeout: float) -> None:
        connection = object()
        outcome[name] = turns.take(connection, timeout)
        if outcome[name]:
            turns.give_back(connection)

    impatient = threading.Thread(target=ask, args=("impatient", 0.05))
    impatient.start()
    _until(lambda: turns.waiting == 1, "the impatient write waiting")
    patient = threading.Thread(target=ask, args=("patient", 30))
    patient.start()
    impatient.join(timeout=30)
    assert outcome == {"impatient": False}
    turns.give_back(holder)
    patient.join(timeout=30)
    assert outcome == {"impatient": False, "patient": True}
    assert turns.waiting == 0
