"""The upgrade plan: from the council's sheet of the last closed round, the points to the next band, the minimums
not met up to the next star, and the criteria with the most points to gain."""
from __future__ import annotations

from decimal import Decimal

from ocop_tracker.reviews.permissions import can_see_upgrade_plan
from ocop_tracker.reviews.upgrade_plan import upgrade_plan

from ..factories import (
    DISTRICT_ERA_DAY,
    QD26_DAY,
    decide,
    district_era_rating,
    dossier_in_state,
    fire,
    new_dossier,
    score_all,
    score_marks,
)
from .test_star_minimums import SEATS, STORY, admitted, close, score


def certified_short_of_four_stars(world):
    """The demo's case: 75 points, the product story below its 4★ minimum, certified 3★."""
    dossier = admitted(world)
    score(world, dossier, {"A": 30, "B": 20, "C": 25}, {seat: {STORY: 4} for seat in SEATS})
    assert close(world, dossier) == ("awaiting_decision", Decimal("75.00"), 3)
    decide(world, dossier, day=QD26_DAY)
    assert dossier.state == "certified"
    return dossier


def test_a_3_star_product_missing_a_4_star_minimum_is_told_what_and_where_to_gain(world):
    plan = upgrade_plan(certified_short_of_four_stars(world))
    assert (plan.star, plan.score, plan.next_star, plan.points_to_next_band) == (3, Decimal("75.00"), 4, Decimal(0))
    assert [(c.id, o.points, star) for c, o, star in plan.unmet_minimums] == [(STORY, 5, 4)]
    gains = [points for _c, _before, _after, points in plan.best_gains]
    assert len(gains) == 5 and gains == sorted(gains, reverse=True) and gains[0] > 0
    for criterion, before, after, points in plan.best_gains:
        assert after in criterion.options and after.points - (before.points if before else 0) == points


def test_the_points_missing_to_the_next_band_are_rounded_up(world):
    dossier = admitted(world)
    marks = ({"A": 25, "B": 16, "C": 22}, {"A": 25, "B": 17, "C": 22}, {"A": 25, "B": 16, "C": 22})
    for seat, parts in zip(SEATS, marks, strict=True):
        score_marks(dossier, actor=world[seat], parts=parts, meeting=3)
    assert close(world, dossier) == ("awaiting_decision", Decimal("63.33"), 3)
    plan = upgrade_plan(dossier)
    assert (plan.next_star, plan.points_to_next_band) == (4, Decimal("6.67"))  # 70 − 63.333…
    assert all(star in (3, 4) for _c, _o, star in plan.unmet_minimums)


def test_no_plan_before_a_round_is_closed_on_the_sheet(world):
    assert upgrade_plan(new_dossier(world)) is None
    assert upgrade_plan(dossier_in_state(world, "star_rating", day=QD26_DAY)) is None  # marks still sealed


def test_no_plan_for_a_round_rated_in_the_district_era(world):
    dossier = district_era_rating(world)
    score_all(world, dossier, prefix="district_")
    fire(world, dossier, "close_rating", "district_chair", day=DISTRICT_ERA_DAY)
    assert upgrade_plan(dossier) is None


def test_the_plan_is_the_producers_and_the_officers_who_see_the_dossier(world):
    dossier = certified_short_of_four_stars(world)
    allowed = {who for who in ("producer", "other_producer", "officer", "province_officer", "admin", "chair",
                               "district_chair", "other_officer") if can_see_upgrade_plan(world[who], dossier)}
    assert allowed == {"producer", "officer", "province_officer", "admin"}
