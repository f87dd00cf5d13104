"""The one door: outcomes of rating, certificates, rounds, mails and all-or-nothing writes."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from ocop_tracker.decisions.services import recognise_nationally
from ocop_tracker.dossiers.models import Dossier, TransitionRecord
from ocop_tracker.dossiers.permissions import can_fire
from ocop_tracker.dossiers.services import apply_event, open_dossier
from ocop_tracker.extensions import db
from ocop_tracker.notifications.models import OutboxMail
from ocop_tracker.registry.models import Certificate
from ocop_tracker.registry.services import current_certificate, dossiers_due_to_expire, public_status
from ocop_tracker.reviews.models import EvaluationRound
from ocop_tracker.reviews.services import current_round
from ocop_tracker.rules.rulesets import get_rule_set
from ocop_tracker.workflow import NotPermitted, StaleVersion

from ..factories import DAY0, DISTRICT_ERA_DAY, decide, dossier_in_state, fire, new_dossier, score_all


def _certificates(dossier) -> list[Certificate]:
    return list(db.session.scalars(db.select(Certificate).filter_by(dossier_id=dossier.id).order_by(Certificate.id)))


def test_close_rating_at_62_waits_for_a_decision_that_certifies_three_stars_for_36_months(world):
    dossier = dossier_in_state(world, "awaiting_decision")
    evaluation = db.session.scalars(db.select(EvaluationRound).filter_by(dossier_id=dossier.id)).one()
    assert (evaluation.council_score, evaluation.star, evaluation.decision) == (Decimal("62.00"), 3, None)
    assert (dossier.level, _certificates(dossier)) == ("province", [])  # nothing is certified by the council
    signed_on = date(2026, 3, 20)
    decision = decide(world, dossier, day=signed_on, number="412/QĐ-UBND")
    assert dossier.state == "certified"
    certificate = current_certificate(dossier)
    assert (certificate.star, certificate.recognised_by, certificate.status) == (3, "province", "valid")
    assert (certificate.issued_on, certificate.expires_on) == (signed_on, date(2029, 3, 20))  # from the signing day
    assert certificate.decision == decision and decision.number == "412/QĐ-UBND"
    assert evaluation.decision == "certified"


def test_a_decision_that_does_not_recognise_closes_the_round_without_a_certificate(world):
    dossier = dossier_in_state(world, "awaiting_decision")
    decide(world, dossier, outcome="not_recognise", day=date(2026, 3, 20))
    evaluation = db.session.scalars(db.select(EvaluationRound).filter_by(dossier_id=dossier.id)).one()
    assert (dossier.state, evaluation.decision, _certificates(dossier)) == ("not_recognised", "not_recognised", [])


def test_four_stars_are_recognised_by_the_province(world):
    dossier = dossier_in_state(world, "district_review")
    fire(world, dossier, "forward", "officer")
    fire(world, dossier, "admit", "province_officer")
    score_all(world, dossier, totals=((30, 20, 25), (31, 19, 26), (29, 21, 24)))
    fire(world, dossier, "close_rating", "chair")
    assert (dossier.state, dossier.level, current_round(dossier).star) == ("awaiting_decision", "province", 4)
    decide(world, dossier, day=date(2026, 3, 20))
    assert (current_certificate(dossier).star, current_certificate(dossier).recognised_by) == (4, "province")


def test_ninety_goes_to_central_review_without_a_certificate(world):
    dossier = dossier_in_state(world, "central_review")
    assert (dossier.level, _certificates(dossier)) == ("central", [])


@pytest.mark.parametrize(("national", "state", "star"), [
    (92, "certified", 5), (88, "awaiting_decision", 4), (65, "awaiting_decision", 3), (45, "not_recognised", None)])
def test_recognise_uses_the_national_score(world, national, state, star):
    dossier = dossier_in_state(world, "central_review")
    signed_on = date(2026, 4, 1)
    ministry = {"number": "77/QĐ-BNNMT", "signed_on": signed_on, "signer": "Bộ trưởng"} if national >= 90 else {}
    recognise_nationally(dossier, actor=world["province_officer"], version=dossier.version, score=Decimal(national),
                         today=signed_on, **ministry)
    evaluation = current_round(dossier)
    assert (dossier.state, evaluation.national_score) == (state, Decimal(national))
    if state == "certified":  # 5★ by the Ministry's decision, valid from its signing day
        certificate = current_certificate(dossier)
        assert (certificate.star, certificate.recognised_by, certificate.issued_on) == (5, "central", signed_on)
        assert certificate.decision.number == "77/QĐ-BNNMT"
    elif state == "awaiting_decision":  # back to the provincial chairman with the national band's star (≤ 4★)
        assert (dossier.level, evaluation.star, _certificates(dossier)) == ("province", star, [])
        decide(world, dossier, day=date(2026, 4, 10))
        assert (current_certificate(dossier).star, current_certificate(dossier).recognised_by) == (star, "province")
    else:
        assert (evaluation.decision, _certificates(dossier)) == ("not_recognised", [])


def test_below_fifty_is_not_recognised(world):
    dossier = dossier_in_state(world, "not_recognised")
    evaluation = db.session.scalars(db.select(EvaluationRound).filter_by(dossier_id=dossier.id)).one()
    assert (evaluation.star, _certificates(dossier)) == (2, [])


@pytest.mark.parametrize(("signed_on", "last_valid_day"), [
    (date(2026, 12, 1), date(2029, 12, 1)),  # the signing day is not counted; valid through the same day
    (date(2024, 2, 29), date(2027, 2, 28)),
    (date(2028, 2, 29), date(2031, 2, 28)),  # 29/02 ends on 28/02
    (date(2026, 1, 31), date(2029, 1, 31)),
])
def test_certificate_last_valid_day_counts_36_months_as_the_civil_code(signed_on, last_valid_day):
    for code in ("qd148-2023-district", "qd26-2026-commune"):
        assert get_rule_set(code).certificate_last_day(signed_on) == last_valid_day


def test_certificate_is_valid_through_its_last_day_and_expired_after(world):
    dossier = dossier_in_state(world, "certified")
    certificate = current_certificate(dossier)
    last_day = certificate.expires_on
    assert public_status(certificate, last_day) == "valid"
    assert public_status(certificate, last_day + timedelta(days=1)) == "expired"
    assert dossiers_due_to_expire(last_day) == []
    assert dossiers_due_to_expire(last_day + timedelta(days=1)) == [dossier.id]


def test_certificate_codes_are_unique_across_rounds(world):
    dossier = dossier_in_state(world, "upgrade")
    fire(world, dossier, "submit", "producer")
    fire(world, dossier, "forward", "officer")
    fire(world, dossier, "admit", "province_officer")
    score_all(world, dossier, totals=((30, 20, 25),) * 3)
    fire(world, dossier, "close_rating", "chair")
    decide(world, dossier, day=date(2026, 4, 1), number="UP-1/QĐ-UBND")
    first, second = _certificates(dossier)
    assert first.code != second.code
    assert (first.status, second.status, second.star, dossier.round_number) == ("superseded", "valid", 4, 2)


def test_cancel_round_keeps_the_certificate(world):
    dossier = dossier_in_state(world, "re_rating")
    fire(world, dossier, "cancel_round", "producer")
    assert dossier.state == "certified" and current_certificate(dossier).status == "valid"


@pytest.mark.parametrize(("filed_on", "code"), [
    (DISTRICT_ERA_DAY, "qd148-2023-district"), (date(2025, 6, 30), "qd148-2023-district"),
    (date(2025, 7, 6), "qd1489-2025-commune"), (DAY0, "qd1489-2025-commune"),
    (date(2026, 5, 21), "qd1489-2025-commune"), (date(2026, 5, 22), "qd26-2026-commune")])
def test_the_rule_set_in_force_on_the_filing_day_is_frozen_at_submission(world, filed_on, code):
    dossier = new_dossier(world)
    assert dossier.rules_snapshot is None
    fire(world, dossier, "submit", "producer", day=filed_on)
    assert (dossier.rule_set, current_round(dossier).rule_set) == (code, code)
    assert dossier.rules_snapshot == get_rule_set(code).data
    get_rule_set(code).data["quorum_share"] = 0.99  # a copy: the frozen rules cannot change
    assert dossier.rules_snapshot["quorum_share"] == 0.75


@pytest.mark.parametrize(("filed_on", "level", "unit", "officer"), [
    (DISTRICT_ERA_DAY, "district", "Lương Sơn", "district_officer"), (DAY0, "commune", "Liên Sơn", "officer")])
def test_a_filing_is_checked_by_its_rule_sets_first_level(world, filed_on, level, unit, officer):
    dossier = new_dossier(world)
    fire(world, dossier, "submit", "producer", day=filed_on)
    assert (dossier.level, dossier.review_unit.level, dossier.review_unit.name) == (level, level, unit)
    other = {"district_officer": "officer", "officer": "district_officer"}[officer]
    assert can_fire(world[officer], dossier, "forward", filed_on)
    assert not can_fire(world[other], dossier, "forward", filed_on)


def test_submit_mails_the_unit_officers_in_the_same_transaction(world):
    dossier = new_dossier(world)
    fire(world, dossier, "submit", "producer")
    mails = db.session.scalars(db.select(OutboxMail)).all()
    assert sorted((m.to_address, m.kind) for m in mails) == [
        ("officer@test.local", "event.submit"), ("producer@test.local", "event.submit")]  # arrival; receipt
    assert all("Chè Mỹ Tân" in mail.subject for mail in mails)


def test_return_mails_the_producer_with_the_reasons(world):
    dossier = dossier_in_state(world, "returned")
    mail = db.session.scalars(db.select(OutboxMail).filter_by(kind="event.return")).one()
    assert mail.dossier_id == dossier.id
    assert mail.to_address == "producer@test.local" and "Thiếu giấy phép" in mail.body_text


def test_rolled_back_event_leaves_no_state_history_or_mail(world):
    dossier = new_dossier(world)
    db.session.commit()
    fire(world, dossier, "submit", "producer")
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(Dossier, dossier.id).state == "draft"
    assert db.session.scalar(db.select(db.func.count(TransitionRecord.id))) == 0
    assert db.session.scalar(db.select(db.func.count(OutboxMail.id))) == 0


def test_stale_version_is_a_conflict(world):
    dossier = new_dossier(world)
    with pytest.raises(StaleVersion):
        apply_event(dossier, "submit", actor=world["producer"], version=dossier.version - 1, today=DAY0)
    assert dossier.state == "draft"


def test_history_rows_cannot_be_edited(world):
    dossier = dossier_in_state(world, "returned")
    record = dossier.history[-1]
    record.comment = "sửa lại"
    with pytest.raises(ValueError, match="immutable"):
        db.session.flush()


def test_other_organisation_cannot_open_a_dossier_for_the_product(world):
    dossier = new_dossier(world)
    with pytest.raises(NotPermitted):
        open_dossier(dossier.product, actor=world["other_producer"])


def test_can_view_follows_organisation_and_unit(world):
    from ocop_tracker.dossiers.permissions import can_view

    dossier = new_dossier(world)
    assert can_view(world["producer"], dossier) and not can_view(world["other_producer"], dossier)
    assert not can_view(world["officer"], dossier)  # a draft is the producer's own work
    fire(world, dossier, "submit", "producer")
    assert can_view(world["officer"], dossier) and can_view(world["admin"], dossier)
    assert not can_view(world["other_officer"], dossier) and not can_view(world["chair"], dossier)
    fire(world, dossier, "forward", "officer")
    assert can_view(world["province_officer"], dossier) and not can_view(world["chair"], dossier)
    fire(world, dossier, "admit", "province_officer")
    assert can_view(world["chair"], dossier) and not can_view(world["district_chair"], dossier)
