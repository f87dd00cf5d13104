"""Every (state, event, actor): allowed ones move the dossier with one history row, others change nothing."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from ocop_tracker.decisions.models import RecognitionDecision
from ocop_tracker.dossiers.models import Dossier, TransitionRecord
from ocop_tracker.dossiers.permissions import allowed_events
from ocop_tracker.dossiers.services import apply_event
from ocop_tracker.extensions import db
from ocop_tracker.notifications.models import OutboxMail
from ocop_tracker.workflow import EventNotAllowed, NotPermitted

from ..factories import DAY0, QD26_DAY, dossier_in_state, expiry_day, re_rating_day
from ..workflow_expectations import ACTORS, ALL_EVENTS, ALL_STATES, ALLOWED, expected_refusal

# The rounds are filed on these days, under today's two commune-era rule sets (batches under QĐ 26).
FILING_DAYS = {"qd1489-2025-commune": DAY0, "qd26-2026-commune": QD26_DAY}


def _extra(world, day: date) -> dict:
    decision = RecognitionDecision(number=f"T-{day}", signed_on=day, signer="Nguyễn Văn A", level="province",
                                   unit=world.province, body="UBND tỉnh Phú Thọ")
    db.session.add(decision)
    db.session.flush()
    return {"comment": "Bổ sung phiếu kiểm nghiệm", "grounds": "Nhãn sai quy định", "score": Decimal(95),
            "decision": decision, "outcome": "recognise"}


def _day(dossier: Dossier, event: str, filed_on: date) -> date:
    """The day the event's date guard is met, where the dossier has a certificate."""
    if (event, dossier.state) == ("submit", "re_rating"):
        return re_rating_day(dossier)
    if event == "expire" and dossier.state == "certified":
        return expiry_day(dossier) + timedelta(days=1)
    return filed_on


def _snapshot(dossier_id: int) -> tuple:
    db.session.expire_all()
    dossier = db.session.get(Dossier, dossier_id)
    history = db.session.scalar(db.select(db.func.count(TransitionRecord.id)).filter_by(dossier_id=dossier_id))
    mails = db.session.scalar(db.select(db.func.count(OutboxMail.id)))
    return dossier.state, dossier.version, history, mails


@pytest.mark.parametrize("rule_set", FILING_DAYS)
@pytest.mark.parametrize("state", ALL_STATES)
def test_event_in_state_by_every_actor(world, rule_set, state):
    filed_on = FILING_DAYS[rule_set]
    dossier = dossier_in_state(world, state, day=filed_on)
    assert dossier.state == state
    extra = _extra(world, filed_on)
    for event in ALL_EVENTS:
        _every_actor(world, dossier, state, event, filed_on, extra)


def _every_actor(world, dossier, state, event, filed_on, extra):
    before = _snapshot(dossier.id)
    allowed_actors, expected_state = ALLOWED.get((state, event), (set(), None))
    for actor in ACTORS:
        savepoint = db.session.begin_nested()
        dossier = db.session.get(Dossier, dossier.id)
        user = world[actor]
        try:
            if actor in allowed_actors:
                record = apply_event(dossier, event, actor=user, version=dossier.version,
                                     today=_day(dossier, event, filed_on), **extra)
                db.session.flush()
                after = _snapshot(dossier.id)
                assert (record.from_state, record.to_state, after[0]) == (state, expected_state, expected_state)
                assert after[1] == before[1] + 1 and after[2] == before[2] + 1
            else:
                expected_error = {"NotPermitted": NotPermitted,
                                  "EventNotAllowed": EventNotAllowed}[expected_refusal(actor, state, event)]
                with pytest.raises(expected_error):
                    apply_event(dossier, event, actor=user, version=dossier.version,
                                today=_day(dossier, event, filed_on), **extra)
                assert _snapshot(dossier.id) == before
        finally:
            savepoint.rollback()
        assert _snapshot(dossier.id) == before, (state, event, actor)


@pytest.mark.parametrize("state", ALL_STATES)
def test_allowed_events_follow_the_table(world, state):
    dossier = dossier_in_state(world, state, day=QD26_DAY)
    for actor in ACTORS:
        expected = sorted(e for (s, e), (who, _) in ALLOWED.items() if s == state and actor in who)
        assert sorted(allowed_events(world[actor], dossier)) == expected, actor
