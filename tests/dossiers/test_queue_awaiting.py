""""Awaiting me" holds exactly the dossiers whose move it is and whose mover the user is, by the same role and unit
rules the workflow's door applies (dossiers/permissions.py), in the list and in the tab counts alike."""
from __future__ import annotations

from datetime import date

import pytest

from ocop_tracker.admin.services import save_organisation, store_unit
from ocop_tracker.dossiers.models import Dossier
from ocop_tracker.dossiers.permissions import ACTOR_PREDICATES, visible_dossiers
from ocop_tracker.dossiers.queries import QueueFilters, dossier_queue, queue_counts
from ocop_tracker.extensions import db
from ocop_tracker.workflow import COUNCIL, WAITING_FOR

from ..factories import DISTRICT_ERA_DAY, dossier_in_state, fire, new_dossier, score_all

BEFORE_REFORM, AFTER_REFORM = date(2024, 6, 3), date(2026, 3, 20)


def _district_era(world, state: str) -> Dossier:
    """A dossier filed with the district before July 2025: still at its check, or its 3★ awaiting the district."""
    dossier = new_dossier(world, name=f"Chè {state}")
    fire(world, dossier, "submit", "producer", day=DISTRICT_ERA_DAY)
    if state == "awaiting_decision":
        fire(world, dossier, "forward", "district_officer", day=DISTRICT_ERA_DAY)
        score_all(world, dossier, prefix="district_")
        fire(world, dossier, "close_rating", "district_chair", day=DISTRICT_ERA_DAY)
    db.session.commit()
    return dossier


@pytest.fixture()
def dossiers(world):
    found = [dossier_in_state(world, state) for state in
             ("draft", "district_review", "returned", "provincial_review", "star_rating", "awaiting_decision",
              "certified")]
    return found + [_district_era(world, "district_review"), _district_era(world, "awaiting_decision")]


def awaiting(user, today: date) -> set[int]:
    return {d.id for d in dossier_queue(user, QueueFilters(due="awaiting"), today=today, per_page=100).items}


def can_move(user, dossier: Dossier, today: date) -> bool:
    """Whether the dossier waits for this user: its state's mover, judged as the door judges it."""
    actor = WAITING_FOR.get(dossier.state)
    if actor == COUNCIL:
        return user.role == "council_member"
    return actor is not None and ACTOR_PREDICATES[actor](user, dossier, today)


@pytest.mark.parametrize("today", [BEFORE_REFORM, AFTER_REFORM])
def test_awaiting_me_is_what_the_workflow_lets_each_user_move(world, dossiers, today):
    assert len({d.state for d in dossiers}) == 7
    for name, user in world.users.items():
        visible = db.session.scalars(visible_dossiers(user, db.select(Dossier))).all()
        expected = {d.id for d in visible if can_move(user, d, today)}
        assert awaiting(user, today) == expected, name
        assert queue_counts(user, today)["awaiting"] == len(expected), name


def test_an_abolished_districts_officer_is_not_awaited_on_its_old_files(world, dossiers):
    district_review = dossiers[-2]
    assert district_review.id not in awaiting(world["district_officer"], AFTER_REFORM)
    assert district_review.id in awaiting(world["province_officer"], AFTER_REFORM)  # the province took them over


def test_the_province_is_not_awaited_on_a_district_decision_before_the_reform(world, dossiers):
    district_decision = dossiers[-1]
    assert district_decision.level == "district"
    assert district_decision.id not in awaiting(world["province_officer"], BEFORE_REFORM)
    assert district_decision.id in awaiting(world["district_officer"], BEFORE_REFORM)


def test_a_file_checked_at_the_province_itself_waits_as_the_door_says(world):
    """permissions.is_reviewing_officer asks is_provincial_officer when the acting unit is a province (the producer
    in that province), so "awaiting me" does too: the province's own unit alone no longer makes a file its officers'
    (it did in SQL, not at the door)."""
    dossier = dossier_in_state(world, "district_review", day=AFTER_REFORM)
    dossier.review_unit = world.province
    other = store_unit(None, code="Q", name="Hòa Bình", level="province", parent=None)
    coop = world["producer"].organisation
    save_organisation(coop, actor=world["admin"], name=coop.name, kind=coop.kind,
                      unit=store_unit(None, code="Q-C1", name="Tân Lạc", level="commune", parent=other))
    db.session.commit()
    officer = world["province_officer"]
    assert not can_move(officer, dossier, AFTER_REFORM)
    assert dossier.id not in awaiting(officer, AFTER_REFORM)
