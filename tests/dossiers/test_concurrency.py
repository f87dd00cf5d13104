"""Two sessions fire on the same dossier version: exactly one wins, the other gets a conflict."""
from __future__ import annotations

import threading

import pytest

from ocop_tracker.accounts.models import User
from ocop_tracker.dossiers.models import Dossier, TransitionRecord
from ocop_tracker.dossiers.services import apply_event
from ocop_tracker.extensions import db
from ocop_tracker.workflow import StaleVersion

from ..factories import DAY0, dossier_in_state

pytestmark = pytest.mark.committing  # sessions of their own in threads

TIMEOUT = 30


def _fire_in_own_session(app, dossier_id, username_event, version, outcomes, barrier=None):
    """Runs in a thread: its own app context, so its own session and connection."""
    username, event, extra = username_event
    with app.app_context():
        try:
            dossier = db.session.get(Dossier, dossier_id)
            actor = db.session.scalar(db.select(User).filter_by(username=username))
            if barrier is not None:
                barrier.wait(TIMEOUT)  # both have read the same version before either writes
            apply_event(dossier, event, actor=actor, version=version, today=DAY0, **extra)
            db.session.commit()
            outcomes.append(event)
        except StaleVersion:
            db.session.rollback()
            outcomes.append("conflict")
        finally:
            db.session.remove()


def _race(app, dossier, barrier=None) -> list[str]:
    outcomes: list[str] = []
    dossier_id, version = dossier.id, dossier.version
    db.session.commit()  # end the test's own transaction: on SQLite it holds the write lock
    # Two provincial officers' moves on the same file: each stays theirs in the state the other leads to, so the
    # loser is told of the newer version (a conflict), not that the event is not theirs.
    contenders = [("province_officer", "admit", {}), ("province_officer", "return", {"comment": "Thiếu nhãn"})]
    threads = [threading.Thread(target=_fire_in_own_session,
                                args=(app, dossier_id, c, version, outcomes, barrier)) for c in contenders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    return outcomes


def _history_count(dossier_id: int) -> int:
    return db.session.scalar(db.select(db.func.count(TransitionRecord.id)).filter_by(dossier_id=dossier_id))


def test_same_version_from_two_sessions_one_conflict(app, world):
    dossier = dossier_in_state(world, "provincial_review")
    history_before = _history_count(dossier.id)
    outcomes = _race(app, dossier)
    assert len(outcomes) == 2 and outcomes.count("conflict") == 1
    db.session.expire_all()
    winner = next(o for o in outcomes if o != "conflict")
    assert db.session.get(Dossier, dossier.id).state == {"admit": "star_rating", "return": "returned"}[winner]
    assert _history_count(dossier.id) == history_before + 1


def test_concurrent_connections_both_loaded_one_conflict_postgresql(app, world, backend):
    if backend != "postgresql":
        pytest.skip("SQLite takes the write lock up front, so two writers cannot both hold a read of the row")
    dossier = dossier_in_state(world, "provincial_review")
    history_before = _history_count(dossier.id)
    outcomes = _race(app, dossier, barrier=threading.Barrier(2))
    assert len(outcomes) == 2 and outcomes.count("conflict") == 1
    db.session.expire_all()
    assert _history_count(dossier.id) == history_before + 1
