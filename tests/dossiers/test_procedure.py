"""The procedure in force: rounds that fail keep the certificate, the re-rating window on filing, the exact mean,
the council's quorum and seats, the district era and its files after 1/7/2025, and filings nobody could act on."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from ocop_tracker.accounts.models import Organisation
from ocop_tracker.accounts.services import create_user
from ocop_tracker.admin.services import add_council_member, remove_council_member
from ocop_tracker.decisions.services import DecisionRefused
from ocop_tracker.dossiers.models import Dossier
from ocop_tracker.dossiers.permissions import can_fire
from ocop_tracker.dossiers.placement import dossier_rules
from ocop_tracker.dossiers.services import open_dossier
from ocop_tracker.extensions import db
from ocop_tracker.products.models import ProductSet
from ocop_tracker.products.services import create_product
from ocop_tracker.registry.models import Certificate
from ocop_tracker.registry.services import current_certificate
from ocop_tracker.reviews.models import Council, CouncilMember, EvaluationBatch
from ocop_tracker.reviews.services import council_result, current_round, round_scores, score_dossier
from ocop_tracker.workflow import NotPermitted

from ..factories import (
    CENTRAL_TOTALS,
    DISTRICT_ERA_DAY,
    PASSWORD,
    QD26_DAY,
    REFORM_DAY,
    TEA,
    decide,
    dossier_in_state,
    expiry_day,
    fire,
    guard_refusal,
    new_dossier,
    score_all,
    score_marks,
    upload_required_documents,
)

LATER = date(2026, 4, 1)  # still under QĐ 1489 (no batches): a later round of a dossier certified on DAY0
THREE_STARS, FOUR_STARS, BELOW_FIFTY = ((25, 17, 20),) * 3, ((30, 20, 25),) * 3, ((15, 10, 10),) * 3


def _certificates(dossier: Dossier) -> list[Certificate]:
    return list(db.session.scalars(db.select(Certificate).filter_by(dossier_id=dossier.id).order_by(Certificate.id)))




def _scored_round(world, dossier, request: str, totals, day: date = LATER) -> None:
    """From `certified`: ask for the next round, file it, and have the provincial council score it."""
    fire(world, dossier, request, "producer", day=day)
    for event, who in (("submit", "producer"), ("forward", "officer"), ("admit", "province_officer")):
        fire(world, dossier, event, who, day=day)
    score_all(world, dossier, totals)


def _provincial_council(world) -> Council:
    return db.session.scalar(db.select(Council).filter_by(unit_id=world.province.id))


def _seat(world, username: str) -> CouncilMember:
    """Seat a new member on the provincial council, through the administrators' service."""
    user = create_user(username=username, password=PASSWORD, role="council_member")
    world.users[username] = user
    return add_council_member(_provincial_council(world), user, actor=world["admin"])


# A round that fails while the product holds a valid certificate returns to `certified` with that certificate.

@pytest.mark.parametrize("totals", [BELOW_FIFTY, THREE_STARS], ids=["below_50", "same_star"])
def test_a_failed_upgrade_stays_certified_with_the_same_certificate(world, totals):
    dossier = dossier_in_state(world, "certified")
    held = current_certificate(dossier)
    code, issued_on, last_day = held.code, held.issued_on, held.expires_on
    _scored_round(world, dossier, "request_upgrade", totals)
    fire(world, dossier, "close_rating", "chair", day=LATER)
    assert dossier.state == "certified" and _certificates(dossier) == [held]
    assert (held.code, held.status, held.star) == (code, "valid", 3)
    assert (held.issued_on, held.expires_on) == (issued_on, last_day)  # no new validity
    assert current_round(dossier).decision == "kept" and dossier.round_number == 2
    assert fire(world, dossier, "request_upgrade", "producer", day=LATER).to_state == "upgrade"  # may try again


def test_a_same_star_upgrade_gives_no_new_validity(world):
    dossier = dossier_in_state(world, "certified")
    last_day = expiry_day(dossier)
    _scored_round(world, dossier, "request_upgrade", ((26, 17, 22),) * 3)  # 65: 3★ again
    record = fire(world, dossier, "close_rating", "chair", day=LATER)
    assert (record.to_state, current_round(dossier).star) == ("certified", 3)  # no decision is waited for
    assert len(_certificates(dossier)) == 1 and expiry_day(dossier) == last_day


def test_an_upgrade_the_decision_does_not_recognise_keeps_the_certificate(world):
    dossier = dossier_in_state(world, "certified")
    held = current_certificate(dossier)
    _scored_round(world, dossier, "request_upgrade", FOUR_STARS)
    fire(world, dossier, "close_rating", "chair", day=LATER)
    assert (dossier.state, current_round(dossier).star) == ("awaiting_decision", 4)
    decide(world, dossier, outcome="not_recognise", day=LATER + timedelta(days=5), number="UP/QĐ-UBND")
    assert (dossier.state, _certificates(dossier), held.status, held.star) == ("certified", [held], "valid", 3)


def test_an_upgrade_to_four_stars_replaces_the_certificate_from_its_own_decision(world):
    dossier = dossier_in_state(world, "certified")
    held = current_certificate(dossier)
    _scored_round(world, dossier, "request_upgrade", FOUR_STARS)
    fire(world, dossier, "close_rating", "chair", day=LATER)
    signed_on = LATER + timedelta(days=5)
    decide(world, dossier, day=signed_on, number="UP/QĐ-UBND")
    new = current_certificate(dossier)
    assert (held.status, new.star, new.issued_on, new.expires_on) == ("superseded", 4, signed_on, date(2029, 4, 6))


def _re_rating_filed(world, day_offset: int = 150) -> tuple[Dossier, Certificate]:
    dossier = dossier_in_state(world, "certified")
    held = current_certificate(dossier)
    filing_day = held.expires_on - timedelta(days=day_offset)
    fire(world, dossier, "request_re_rating", "producer", day=filing_day)
    fire(world, dossier, "submit", "producer", day=filing_day)
    return dossier, held


def test_a_re_rating_not_recognised_returns_to_certified_with_its_certificate(world):
    dossier, held = _re_rating_filed(world)
    day = held.expires_on - timedelta(days=140)
    db.session.add(_batch_for(world, day))
    for event, who in (("forward", "officer"), ("admit", "province_officer")):
        fire(world, dossier, event, who, day=day)
    score_all(world, dossier, BELOW_FIFTY)
    fire(world, dossier, "close_rating", "chair", day=day)
    assert (dossier.state, _certificates(dossier), held.status) == ("certified", [held], "valid")
    assert current_round(dossier).decision == "kept"


def test_a_re_rating_at_the_same_star_issues_a_new_certificate_from_its_decision(world):
    dossier, held = _re_rating_filed(world)
    day = held.expires_on - timedelta(days=140)
    db.session.add(_batch_for(world, day))
    for event, who in (("forward", "officer"), ("admit", "province_officer")):
        fire(world, dossier, event, who, day=day)
    score_all(world, dossier, THREE_STARS)
    fire(world, dossier, "close_rating", "chair", day=day)
    assert dossier.state == "awaiting_decision"  # unlike an upgrade, a re-rating waits for its decision
    decide(world, dossier, day=day + timedelta(days=10), number="RR/QĐ-UBND")
    new = current_certificate(dossier)
    assert (held.status, new.star, new.issued_on) == ("superseded", 3, day + timedelta(days=10))
    assert new.expires_on == dossier_rules(dossier).certificate_last_day(day + timedelta(days=10))


def _batch_for(world, day: date) -> EvaluationBatch:
    """A batch open on `day` (QĐ 26 admits every round into one)."""
    return EvaluationBatch(unit=world.province, name=f"Đợt {day.year}", filing_cutoff=day + timedelta(days=30),
                           decision_due=day + timedelta(days=90))


@pytest.mark.parametrize("request_event", ["request_upgrade", "request_re_rating"])
def test_withdrawing_an_upgrade_or_re_rating_returns_to_certified(world, request_event):
    dossier = dossier_in_state(world, "certified")
    held = current_certificate(dossier)
    filing_day = held.expires_on - timedelta(days=150) if request_event == "request_re_rating" else LATER
    fire(world, dossier, request_event, "producer", day=filing_day)
    fire(world, dossier, "submit", "producer", day=filing_day)
    fire(world, dossier, "forward", "officer", day=filing_day)
    record = fire(world, dossier, "withdraw", "producer", day=filing_day)
    assert (record.from_state, record.to_state) == ("provincial_review", "certified")
    assert (_certificates(dossier), held.status, current_round(dossier).decision) == ([held], "valid", "withdrawn")


# The re-rating window: 180 to 120 days before the last valid day, checked on the filing day.

@pytest.mark.parametrize(("days_before", "accepted"), [(181, False), (180, True), (120, True), (119, False)])
def test_re_rating_filed_180_to_120_days_before_the_last_valid_day(world, days_before, accepted):
    dossier = dossier_in_state(world, "certified")
    last_day = expiry_day(dossier)
    fire(world, dossier, "request_re_rating", "producer", day=last_day - timedelta(days=300))  # never refused
    filing_day = last_day - timedelta(days=days_before)
    if accepted:
        fire(world, dossier, "submit", "producer", day=filing_day)
        assert (dossier.state, current_round(dossier).submitted_on) == ("district_review", filing_day)
    else:
        assert guard_refusal(world, dossier, "submit", "producer", day=filing_day) == ["re_rating_window"]


# The council: the exact mean, the quorum of sitting members, who may score.

def _admitted(world, day: date = QD26_DAY) -> Dossier:
    dossier = dossier_in_state(world, "provincial_review", day=day)
    fire(world, dossier, "admit", "province_officer", day=day)
    return dossier


@pytest.mark.parametrize(("c", "star", "shown"), [("19", 3, Decimal("69.66")), ("20", 4, Decimal("70.00"))])
def test_the_band_is_decided_on_the_exact_mean(world, c, star, shown):
    dossier = _admitted(world)
    for seat, last in (("chair", "20"), ("member", "20"), ("member3", c)):
        score_marks(dossier, actor=world[seat], parts={"A": 30, "B": 20, "C": last})
    result = council_result(dossier, current_round(dossier), dossier_rules(dossier))
    assert (result.count, result.quorum, result.mean, result.star) == (3, 3, shown, star)  # 69.666… is shown 69.66
    fire(world, dossier, "close_rating", "chair", day=QD26_DAY)
    evaluation = current_round(dossier)
    assert (dossier.state, evaluation.council_score, evaluation.star) == ("awaiting_decision", shown, star)


def test_a_nine_member_council_needs_seven_scores_with_the_chairs(world):
    for number in range(4, 10):
        _seat(world, f"member{number}")
    dossier = _admitted(world)
    score_all(world, dossier)  # chair, member, member3
    assert guard_refusal(world, dossier, "close_rating", "chair", day=QD26_DAY) == ["council_scores (3/7)"]
    for number in range(4, 8):
        score_marks(dossier, actor=world[f"member{number}"], parts={"A": 25, "B": 17, "C": 20})
    fire(world, dossier, "close_rating", "chair", day=QD26_DAY)
    assert (dossier.state, current_round(dossier).council_score) == ("awaiting_decision", Decimal("62.00"))


def test_a_removed_members_mark_no_longer_counts(world):
    dossier = _admitted(world)
    score_all(world, dossier, ((25, 17, 20), (24, 17, 21), (40, 25, 30)))  # member3 gives 95
    seat = db.session.scalar(db.select(CouncilMember).filter_by(user_id=world["member3"].id))
    remove_council_member(seat, actor=world["admin"])
    result = council_result(dossier, current_round(dossier), dossier_rules(dossier))
    assert (result.count, result.quorum, result.mean, result.flagged) == (2, 2, Decimal("62.00"), ())
    fire(world, dossier, "close_rating", "chair", day=QD26_DAY)  # no spread comment: 95 is not counted
    assert (current_round(dossier).council_score, current_round(dossier).star) == (Decimal("62.00"), 3)


def test_a_member_of_the_producers_organisation_cannot_score_and_does_not_sit(world):
    _seat(world, "member4")
    world["member4"].organisation = world["producer"].organisation  # a member of the cooperative itself
    db.session.flush()
    dossier = _admitted(world)
    with pytest.raises(NotPermitted):
        score_dossier(dossier, actor=world["member4"], parts={"A": 40, "B": 25, "C": 35})
    assert [score.member_id for score in round_scores(current_round(dossier))] == []
    score_all(world, dossier)
    result = council_result(dossier, current_round(dossier), dossier_rules(dossier))
    assert (result.count, result.quorum) == (3, 3)  # three sitting members, not four
    fire(world, dossier, "close_rating", "chair", day=QD26_DAY)
    assert dossier.state == "awaiting_decision"


# The district era (QĐ 148): the district checks, its council scores, its chairman recognises 3★.

def _district_rating(world, totals) -> Dossier:
    dossier = new_dossier(world)
    fire(world, dossier, "submit", "producer", day=DISTRICT_ERA_DAY)
    assert (dossier.rule_set, dossier.level, dossier.review_unit) == ("qd148-2023-district", "district", world.district)
    fire(world, dossier, "forward", "district_officer", day=DISTRICT_ERA_DAY)
    assert (dossier.state, dossier.level) == ("star_rating", "district")
    score_all(world, dossier, totals, prefix="district_")
    fire(world, dossier, "close_rating", "district_chair", day=DISTRICT_ERA_DAY)
    return dossier


def test_district_era_three_stars_by_the_districts_decision(world):
    dossier = _district_rating(world, THREE_STARS)
    assert (dossier.state, dossier.level, current_round(dossier).star) == ("awaiting_decision", "district", 3)
    signed_on = DISTRICT_ERA_DAY + timedelta(days=20)
    with pytest.raises(DecisionRefused) as refused:  # the province does not decide the district's 3★
        decide(world, dossier, day=signed_on, number="9/QĐ-UBND")
    assert [item["code"] for item in refused.value.details["items"]] == ["forbidden"]
    assert dossier.state == "awaiting_decision"
    decision = decide(world, dossier, who="district_officer", day=signed_on, number="88/QĐ-UBND")
    certificate = current_certificate(dossier)
    assert (decision.level, decision.unit, certificate.decision) == ("district", world.district, decision)
    assert (certificate.star, certificate.recognised_by, certificate.issued_on, certificate.expires_on) == (
        3, "district", signed_on, date(2027, 3, 24))


def test_district_era_seventy_is_sent_on_to_the_province(world):
    dossier = _district_rating(world, FOUR_STARS)  # 75
    assert (dossier.state, dossier.level, current_round(dossier).star) == ("provincial_review", "province", 4)
    fire(world, dossier, "admit", "province_officer", day=DISTRICT_ERA_DAY)
    assert current_round(dossier).batch is None  # QĐ 148 had no batches
    score_all(world, dossier, ((31, 20, 26),) * 3)  # 77, by the provincial council
    result = council_result(dossier, current_round(dossier), dossier_rules(dossier))
    assert (result.count, result.mean) == (3, Decimal("77.00"))  # the district council's marks are its own
    assert len(round_scores(current_round(dossier))) == 6
    fire(world, dossier, "close_rating", "chair", day=DISTRICT_ERA_DAY)
    assert (dossier.state, dossier.level, current_round(dossier).star) == ("awaiting_decision", "province", 4)
    decide(world, dossier, day=DISTRICT_ERA_DAY + timedelta(days=30), number="410/QĐ-UBND")
    assert (current_certificate(dossier).star, current_certificate(dossier).recognised_by) == (4, "province")


def test_district_era_ninety_at_the_district_goes_to_the_province_then_central(world):
    dossier = _district_rating(world, CENTRAL_TOTALS)  # 94 at the district: the province scores next
    assert (dossier.state, dossier.level) == ("provincial_review", "province")
    fire(world, dossier, "admit", "province_officer", day=DISTRICT_ERA_DAY)
    score_all(world, dossier, CENTRAL_TOTALS)
    fire(world, dossier, "close_rating", "chair", day=DISTRICT_ERA_DAY)
    assert (dossier.state, dossier.level, _certificates(dossier)) == ("central_review", "central", [])


def test_district_era_below_fifty_is_not_recognised(world):
    dossier = _district_rating(world, BELOW_FIFTY)
    assert (dossier.state, current_round(dossier).decision, _certificates(dossier)) == (
        "not_recognised", "not_recognised", [])


def test_a_district_era_round_left_in_district_review_is_acted_on_by_the_province(world):
    dossier = dossier_in_state(world, "district_review", day=DISTRICT_ERA_DAY)
    after = REFORM_DAY + timedelta(days=9)
    assert not can_fire(world["district_officer"], dossier, "forward", after)
    with pytest.raises(NotPermitted):
        fire(world, dossier, "forward", "district_officer", day=after)
    assert can_fire(world["province_officer"], dossier, "forward", after)
    fire(world, dossier, "forward", "province_officer", day=after)
    assert (dossier.state, dossier.rule_set) == ("star_rating", "qd148-2023-district")  # its frozen rules
    # The provincial council took over the abolished district's files.
    assert dossier.rating_council_id == _provincial_council(world).id
    score_all(world, dossier)
    fire(world, dossier, "close_rating", "chair", day=after)
    assert (dossier.state, current_round(dossier).star) == ("awaiting_decision", 3)
    with pytest.raises(DecisionRefused) as refused:  # the abolished district decides nothing any more
        decide(world, dossier, who="district_officer", day=after, number="1/QĐ-UBND")
    assert [item["code"] for item in refused.value.details["items"]] == ["forbidden"]
    decision = decide(world, dossier, who="province_officer", day=after, number="2/QĐ-UBND")
    assert (dossier.state, decision.unit) == ("certified", world.province)
    assert current_certificate(dossier).star == 3


# A filing on a map where the rule set's levels do not exist is refused, never left with nobody to act on it.

def _product_of(world, unit, username: str) -> Dossier:
    organisation = Organisation(name=f"HTX {username}", kind="cooperative", unit=unit)
    db.session.add(organisation)
    producer = create_user(username=username, password=PASSWORD, role="producer", organisation=organisation)
    world.users[username] = producer
    tea = db.session.scalar(db.select(ProductSet).filter_by(number=TEA))
    dossier = open_dossier(create_product(actor=producer, name="Chè", product_set=tea), actor=producer)
    upload_required_documents(dossier, producer)
    return dossier


def test_a_filing_today_whose_commune_is_missing_from_the_map_is_refused(world):
    dossier = _product_of(world, world.other_district, "district_producer")  # registered on the old district
    assert guard_refusal(world, dossier, "submit", "district_producer", day=QD26_DAY) == ["level_commune"]
    assert dossier.rules_snapshot is None


def test_a_filing_whose_commune_was_abolished_is_refused(world):
    dossier = new_dossier(world)
    world.commune.abolished_on = date(2026, 5, 1)
    db.session.flush()
    assert guard_refusal(world, dossier, "submit", "producer", day=QD26_DAY) == ["level_commune"]


def test_a_district_era_filing_after_the_districts_were_abolished_is_refused(world):
    dossier = new_dossier(world)  # 1–5/7/2025: QĐ 148 was still in force, the districts were gone
    assert guard_refusal(world, dossier, "submit", "producer", day=date(2025, 7, 3)) == ["level_district"]
    fire(world, dossier, "submit", "producer", day=date(2025, 7, 6))  # QĐ 1489: the commune checks
    assert (dossier.rule_set, dossier.review_unit) == ("qd1489-2025-commune", world.commune)
