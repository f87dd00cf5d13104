"""score_dossier's own refusals (whatever the form let through) and the council's result."""
from __future__ import annotations

from decimal import Decimal

import pytest

from ocop_tracker.dossiers.placement import dossier_rules
from ocop_tracker.extensions import db
from ocop_tracker.reviews.models import Score
from ocop_tracker.reviews.services import council_result, current_round, own_score, score_dossier
from ocop_tracker.workflow import EventNotAllowed, GuardFailed, NotPermitted

from ..factories import CENTRAL_TOTALS, district_era_rating, dossier_in_state, score_all, score_marks
from .test_permissions import unscored_dossier


def _count_scores() -> int:
    return db.session.scalar(db.select(db.func.count(Score.id)))


@pytest.mark.parametrize("parts, missing", [
    ({"A": 41, "B": 20, "C": 25}, ["A (0–40)"]),
    ({"A": 30, "B": "25.01", "C": 25}, ["B (0–25)"]),
    ({"A": 30, "B": 20, "C": -1}, ["C (0–35)"]),
    ({"A": "ba mươi", "B": 20, "C": 25}, ["A"]),
    ({"A": "NaN", "B": 20}, ["A (0–40)", "C"]),
])
def test_record_score_refuses_marks_outside_the_parts(world, parts, missing):
    dossier = district_era_rating(world)  # parts are typed only where the rule set has no sheets
    with pytest.raises(GuardFailed) as refused:
        score_dossier(dossier, actor=world["district_member"], parts=parts)
    assert refused.value.missing == missing and _count_scores() == 0


def test_record_score_refuses_outsiders_and_closed_ratings(world):
    dossier = unscored_dossier(world)
    with pytest.raises(NotPermitted):
        score_dossier(dossier, actor=world["district_chair"], parts={"A": 30, "B": 20, "C": 25})
    closed = dossier_in_state(world, "certified")
    before = _count_scores()
    with pytest.raises(EventNotAllowed):
        score_dossier(closed, actor=world["member"], parts={"A": 30, "B": 20, "C": 25})
    assert _count_scores() == before


def test_council_result_gives_mean_parts_star_and_outcome(world):
    dossier = unscored_dossier(world)
    rules, evaluation = dossier_rules(dossier), current_round(dossier)
    empty = council_result(dossier, evaluation, rules)
    assert (empty.count, empty.quorum, empty.mean, empty.outcome, empty.quorum_met) == (0, 3, None, None, False)
    score_all(world, dossier, CENTRAL_TOTALS)
    result = council_result(dossier, evaluation, rules)
    assert (result.count, result.quorum, result.mean, result.star, result.outcome) == (
        3, 3, Decimal("94.00"), 5, "central_review")
    # Each part's mean (113/3, 71/3, 98/3) is shown cut to two decimals like the total, never rounded up.
    assert result.parts == {"A": Decimal("37.66"), "B": Decimal("23.66"), "C": Decimal("32.66")}
    assert result.quorum_met


def test_own_score_is_only_the_users_marks(world):
    dossier = unscored_dossier(world)
    score_marks(dossier, actor=world["member3"], parts={"A": 30, "B": 20, "C": 25})
    evaluation = current_round(dossier)
    assert own_score(evaluation, world["member"]) is None and own_score(evaluation, None) is None
    assert own_score(evaluation, world["member3"]).total == Decimal(75)
