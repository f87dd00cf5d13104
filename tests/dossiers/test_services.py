"""The one door: outcomes of rating, certificates, rounds, mails and all-or-nothing writes."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ocop_tracker.dossiers.models import Dossier, TransitionRecord
from ocop_tracker.dossiers.services import apply_event, create_dossier
from ocop_tracker.extensions import db
from ocop_tracker.notifications.models import OutboxMail
from ocop_tracker.products.services import create_product
from ocop_tracker.registry.models import Certificate
from ocop_tracker.registry.services import current_certificate
from ocop_tracker.reviews.models import EvaluationRound
from ocop_tracker.rules.rulesets import get_rule_set
from ocop_tracker.workflow import NotPermitted, StaleVersion

from ..factories import DAY0, dossier_in_state, fire, new_dossier, score_all


def _certificates(dossier) -> list[Certificate]:
    return list(db.session.scalars(db.select(Certificate).filter_by(dossier_id=dossier.id).order_by(Certificate.id)))


def test_close_rating_at_62_certifies_three_stars_for_36_months(world):
    dossier = dossier_in_state(world, "certified")
    certificate = current_certificate(dossier)
    assert (certificate.star, certificate.recognised_by, certificate.status) == (3, "district", "valid")
    assert (certificate.issued_on, certificate.expires_on) == (DAY0, date(2029, 3, 2))
    evaluation = db.session.scalars(db.select(EvaluationRound).filter_by(dossier_id=dossier.id)).one()
    assert (evaluation.council_score, evaluation.star, evaluation.decision) == (Decimal("62.00"), 3, "certified")


def test_four_stars_are_recognised_by_the_province(world):
    dossier = dossier_in_state(world, "district_review")
    fire(world, dossier, "forward", "officer")
    score_all(world, dossier, totals=((30, 20, 25), (31, 19, 26), (29, 21, 24)))
    fire(world, dossier, "close_rating", "chair")
    assert (current_certificate(dossier).star, current_certificate(dossier).recognised_by) == (4, "province")


def test_ninety_goes_to_central_review_without_a_certificate(world):
    dossier = dossier_in_state(world, "central_review")
    assert _certificates(dossier) == []


@pytest.mark.parametrize(("national", "star", "level"), [(95, 5, "central"), (85, 4, "province")])
def test_recognise_uses_the_national_score(world, national, star, level):
    dossier = dossier_in_state(world, "central_review")
    fire(world, dossier, "recognise", "province_officer", score=Decimal(national))
    assert dossier.state == "certified"
    assert (current_certificate(dossier).star, current_certificate(dossier).recognised_by) == (star, level)


def test_below_fifty_is_not_recognised(world):
    dossier = dossier_in_state(world, "not_recognised")
    evaluation = db.session.scalars(db.select(EvaluationRound).filter_by(dossier_id=dossier.id)).one()
    assert (evaluation.star, _certificates(dossier)) == (2, [])


def test_leap_day_certificate_ends_on_the_last_day_of_february():
    rules = get_rule_set("qd148-2023-district")
    assert rules.certificate_expiry(date(2024, 2, 29)) == date(2027, 2, 28)
    assert rules.certificate_expiry(date(2028, 2, 29)) == date(2031, 2, 28)


def test_certificate_codes_are_unique_across_rounds(world):
    dossier = dossier_in_state(world, "upgrade")
    fire(world, dossier, "submit", "producer")
    fire(world, dossier, "forward", "officer")
    score_all(world, dossier, totals=((30, 20, 25),) * 3)
    fire(world, dossier, "close_rating", "chair")
    first, second = _certificates(dossier)
    assert first.code != second.code
    assert (first.status, second.status, second.star, dossier.round_number) == ("superseded", "valid", 4, 2)


def test_cancel_round_keeps_the_certificate(world):
    dossier = dossier_in_state(world, "re_rating")
    fire(world, dossier, "cancel_round", "producer")
    assert dossier.state == "certified" and current_certificate(dossier).status == "valid"


def test_rule_set_is_frozen_at_submission(world):
    dossier = new_dossier(world)
    assert dossier.rules_snapshot is None
    fire(world, dossier, "submit", "producer")
    assert dossier.rules_snapshot == get_rule_set("qd148-2023-district").data
    get_rule_set("qd148-2023-district").data["quorum"] = 99  # a copy: the frozen rules cannot change
    assert dossier.rules_snapshot["quorum"] == 3


def test_commune_rule_set_reviews_at_the_commune(world):
    dossier = new_dossier(world)
    honey = create_product(actor=world["producer"], name="Mật ong", product_set=dossier.product.product_set)
    other = create_dossier(honey, actor=world["producer"], rule_set="qd26-2026-commune")
    assert other.review_unit.level == "commune" and dossier.review_unit.level == "district"


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
        create_dossier(dossier.product, actor=world["other_producer"])


def test_can_view_follows_organisation_and_unit(world):
    from ocop_tracker.dossiers.permissions import can_view

    dossier = new_dossier(world)
    assert can_view(world["producer"], dossier) and not can_view(world["other_producer"], dossier)
    assert not can_view(world["officer"], dossier)  # a draft is the producer's own work
    fire(world, dossier, "submit", "producer")
    assert can_view(world["officer"], dossier) and can_view(world["admin"], dossier)
    assert not can_view(world["other_officer"], dossier) and not can_view(world["chair"], dossier)
    fire(world, dossier, "forward", "officer")
    assert can_view(world["chair"], dossier) and not can_view(world["other_chair"], dossier)
