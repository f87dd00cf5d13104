"""Who may score and who may see which marks, per role and state."""
from __future__ import annotations

import pytest

from ocop_tracker.extensions import db
from ocop_tracker.reviews.permissions import can_score, can_see_all_scores, can_see_council_result, rating_seat

from ..factories import dossier_in_state, fire, new_dossier, score_marks

OUTSIDERS = ["producer", "other_producer", "officer", "province_officer", "admin", "district_officer",
             "district_chair", "district_member"]


def unscored_dossier(world):
    """A dossier admitted by the provincial office to the provincial council, with no marks yet."""
    dossier = new_dossier(world)
    fire(world, dossier, "submit", "producer")
    fire(world, dossier, "forward", "officer")
    fire(world, dossier, "admit", "province_officer")
    db.session.commit()
    return dossier


@pytest.mark.parametrize("who", ["chair", "member", "member3"])
def test_can_score_every_seat_while_rating(world, who):
    assert can_score(world[who], unscored_dossier(world))


@pytest.mark.parametrize("who", OUTSIDERS)
def test_can_score_nobody_outside_the_council(world, who):
    assert not can_score(world[who], unscored_dossier(world))


@pytest.mark.parametrize("state", ["district_review", "provincial_review", "awaiting_decision", "certified"])
def test_can_score_not_before_admission_nor_after_closing(world, state):
    dossier = dossier_in_state(world, state)
    assert not can_score(world["member"], dossier)
    assert (rating_seat(world["member"], dossier) is None) == (state in ("district_review", "provincial_review"))


def test_can_see_all_scores_only_after_own_marks(world):
    dossier = unscored_dossier(world)
    score_marks(dossier, actor=world["member3"], parts={"A": 30, "B": 20, "C": 25})
    assert not can_see_all_scores(world["member"], dossier)
    assert not can_see_all_scores(world["chair"], dossier)  # the chair too scores blind
    assert can_see_all_scores(world["member3"], dossier)
    score_marks(dossier, actor=world["chair"], parts={"A": 30, "B": 20, "C": 25})
    assert can_see_all_scores(world["chair"], dossier) and can_see_council_result(world["chair"], dossier)


@pytest.mark.parametrize("who", ["producer", "officer", "province_officer", "admin"])
def test_can_see_all_scores_no_outsider_before_closing(world, who):
    dossier = dossier_in_state(world, "star_rating")
    assert not can_see_all_scores(world[who], dossier)
    assert not can_see_council_result(world[who], dossier)


@pytest.mark.parametrize("who, all_marks", [("producer", False), ("officer", True), ("province_officer", True),
                                            ("admin", True), ("member", True), ("other_officer", False),
                                            ("district_chair", False), ("other_producer", False)])
def test_after_closing_result_for_all_who_see_the_dossier_marks_not_for_producers(world, who, all_marks):
    dossier = dossier_in_state(world, "certified")
    assert can_see_all_scores(world[who], dossier) is all_marks
    assert can_see_council_result(world[who], dossier) is (who not in ("other_officer", "district_chair",
                                                                      "other_producer"))
