"""Random event sequences by random actors: stored state, history and allowed events always agree."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import event as hypothesis_event
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule, run_state_machine_as_test

from ocop_tracker.decisions.models import RecognitionDecision
from ocop_tracker.documents.services import record_vietgap
from ocop_tracker.dossiers.models import Dossier, TransitionRecord
from ocop_tracker.dossiers.permissions import allowed_events
from ocop_tracker.dossiers.placement import dossier_rules
from ocop_tracker.dossiers.services import apply_event
from ocop_tracker.extensions import db
from ocop_tracker.registry.services import current_certificate
from ocop_tracker.workflow import WorkflowError, destinations

from ..factories import BANANA, DAY0, TEA, new_dossier, score_marks
from ..workflow_expectations import ACTORS, ALL_EVENTS, ALLOWED

pytestmark = pytest.mark.slow  # a long stateful run; `make test-quick` leaves it out

EXTRA = {"comment": "Lý do", "grounds": "Căn cứ thu hồi", "score": Decimal(93), "outcome": "recognise"}


def _decision(world, dossier, serial: int) -> RecognitionDecision:
    """The decision `decide` and a 5★ `recognise` come with (as the workflow table test gives them)."""
    decision = RecognitionDecision(number=f"S-{dossier.id}-{serial}/QĐ-UBND", signed_on=DAY0, signer="Nguyễn Văn A",
                                   level="province", unit=world.province, body="UBND tỉnh Phú Thọ")
    db.session.add(decision)
    db.session.flush()
    return decision


def make_machine(world):
    class DossierLife(RuleBasedStateMachine):
        @initialize(set_number=st.sampled_from([TEA, BANANA]))
        def open_dossier(self, set_number):
            self.dossier = new_dossier(world, set_number=set_number, name=f"Sản phẩm {set_number}")
            record_vietgap(self.dossier, actor=world["producer"], certificate_no="VG", issuer="VIETCERT",
                           issued_on=DAY0, valid_until=DAY0.replace(year=DAY0.year + 10))
            self.state, self.fired = "draft", 0
            self.decisions = 0

        @rule(data=st.data(), day_kind=st.sampled_from(["start", "re_rating", "expiry"]))
        def fire_likely_event(self, data, day_kind):
            """Mostly an event of the current state by one who may fire it, so runs go deep."""
            if self.state == "star_rating":  # let the council reach its quorum now and then
                total = data.draw(st.sampled_from([95, 62, 75, 40]))
                for seat in data.draw(st.sampled_from([(), ("chair", "member", "member3")])):
                    self.score(seat, total)
            events = sorted(e for (s, e) in ALLOWED if s == self.state) or ALL_EVENTS
            event = data.draw(st.sampled_from(events))
            who = sorted(ALLOWED.get((self.state, event), (set(), None))[0])
            self.fire(event, data.draw(st.sampled_from(who + ["producer", "officer", "chair"])), day_kind)

        @rule(event=st.sampled_from(ALL_EVENTS), actor=st.sampled_from(ACTORS),
              day_kind=st.sampled_from(["start", "re_rating", "expiry"]))
        def fire(self, event, actor, day_kind):
            day = DAY0
            certificate = current_certificate(self.dossier)
            if certificate is not None and day_kind != "start":
                opens, _ = dossier_rules(self.dossier).re_rating_window(certificate.expires_on)
                # Expiry may be fired from the day after the last valid day.
                day = certificate.expires_on + timedelta(days=1) if day_kind == "expiry" else opens
            savepoint = db.session.begin_nested()
            try:  # each decide/recognise cites a decision of its own, as each round's is
                self.decisions += 1
                decision = _decision(world, self.dossier, self.decisions) if event in ("decide", "recognise") else None
                record = apply_event(self.dossier, event, actor=world[actor], version=self.dossier.version,
                                     today=day, decision=decision, **EXTRA)
            except WorkflowError:
                savepoint.rollback()
                return
            savepoint.commit()
            who, _ = ALLOWED[(self.state, event)]
            assert actor in who and record.from_state == self.state
            assert record.to_state in destinations(self.state, event)
            self.state, self.fired = record.to_state, self.fired + 1
            hypothesis_event(f"reached {self.state}")

        @rule(seat=st.sampled_from(["chair", "member", "member3", "district_chair"]),
              total=st.sampled_from([95, 62, 75, 30]) | st.integers(0, 100))
        def score(self, seat, total):
            # Each part at least the least the sheets of sets 1 and 11 can give (9, 1, 5): whole points, ticked.
            parts = {"A": max(min(total, 40), 9), "B": max(min(total - 40, 25), 1), "C": max(total - 65, 5)}
            savepoint = db.session.begin_nested()
            try:
                score_marks(self.dossier, actor=world[seat], parts=parts)
                savepoint.commit()
            except WorkflowError:
                savepoint.rollback()

        @invariant()
        def stored_state_history_and_events_agree(self):
            stored = db.session.get(Dossier, self.dossier.id)
            history = db.session.scalars(db.select(TransitionRecord).filter_by(dossier_id=stored.id)
                                         .order_by(TransitionRecord.id)).all()
            assert stored.state == self.state and stored.version == 1 + self.fired == 1 + len(history)
            chain = ["draft"] + [h.to_state for h in history]  # each row starts where the previous ended
            assert [h.from_state for h in history] == chain[:-1] and chain[-1] == stored.state
            for actor in ACTORS:
                expected = {e for (s, e), (who, _) in ALLOWED.items() if s == stored.state and actor in who}
                assert set(allowed_events(world[actor], stored)) == expected

    return DossierLife


def test_random_event_sequences_keep_state_history_and_events_in_step(world):
    settings_ = settings(max_examples=40, stateful_step_count=60, deadline=None,
                         suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    run_state_machine_as_test(make_machine(world), settings=settings_)
