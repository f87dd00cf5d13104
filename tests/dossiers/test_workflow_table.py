"""Every (state, event, actor): allowed ones move the dossier with one history row, others change nothing."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ocop_tracker.dossiers.models import Dossier, TransitionRecord
from ocop_tracker.dossiers.permissions import allowed_events
from ocop_tracker.dossiers.services import apply_event
from ocop_tracker.extensions import db
from ocop_tracker.notifications.models import OutboxMail
from ocop_tracker.workflow import EventNotAllowed, NotPermitted

from ..factories import DAY0, dossier_in_state, expiry_day, re_rating_day
from ..workflow_expectations import ACTORS, ALL_EVENTS, ALL_STATES, ALLOWED, may_ever_fire

EXTRA = {"comment": "Bổ sung phiếu kiểm nghiệm", "grounds": "Nhãn sai quy định", "score": Decimal(95)}


def _day(dossier: Dossier, event: str) -> date:
    """The day the event's date guard is met, where the dossier has a certificate."""
    if event not in ("request_re_rating", "expire") or dossier.state not in ("certified", "upgrade", "re_rating"):
        return DAY0
    return re_rating_day(dossier) if event == "request_re_rating" else expiry_day(dossier)


def _snapshot(dossier_id: int) -> tuple:
    db.session.expire_all()
    dossier = db.session.get(Dossier, dossier_id)
    history = db.session.scalar(db.select(db.func.count(TransitionRecord.id)).filter_by(dossier_id=dossier_id))
    mails = db.session.scalar(db.select(db.func.count(OutboxMail.id)))
    return dossier.state, dossier.version, history, mails


@pytest.mark.parametrize("state", ALL_STATES)
@pytest.mark.parametrize("event", ALL_EVENTS)
def test_event_in_state_by_every_actor(world, state, event):
    dossier = dossier_in_state(world, state)
    assert dossier.state == state
    before = _snapshot(dossier.id)
    allowed_actors, expected_state = ALLOWED.get((state, event), (set(), None))
    for actor in ACTORS:
        savepoint = db.session.begin_nested()
        dossier = db.session.get(Dossier, dossier.id)
        user = world[actor]
        try:
            if actor in allowed_actors:
                record = apply_event(dossier, event, actor=user, version=dossier.version,
                                     today=_day(dossier, event), **EXTRA)
                db.session.flush()
                after = _snapshot(dossier.id)
                assert (record.from_state, record.to_state, after[0]) == (state, expected_state, expected_state)
                assert after[1] == before[1] + 1 and after[2] == before[2] + 1
            else:
                expected_error = NotPermitted if not may_ever_fire(actor, event) else EventNotAllowed
                with pytest.raises(expected_error):
                    apply_event(dossier, event, actor=user, version=dossier.version,
                                today=_day(dossier, event), **EXTRA)
                assert _snapshot(dossier.id) == before
        finally:
            savepoint.rollback()
        assert _snapshot(dossier.id) == before


@pytest.mark.parametrize("state", ALL_STATES)
def test_allowed_events_follow_the_table(world, state):
    dossier = dossier_in_state(world, state)
    for actor in ACTORS:
        expected = sorted(e for (s, e), (who, _) in ALLOWED.items() if s == state and actor in who)
        assert sorted(allowed_events(world[actor], dossier)) == expected, actor
