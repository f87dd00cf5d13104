"""The star the law gives on a sheet round: the lower of the band of the mean and the highest star whose minimum
options the council met (a strict majority of the members' ticks), at closing and in the council's result."""
from __future__ import annotations

from decimal import Decimal

from ocop_tracker.dossiers.models import Dossier
from ocop_tracker.dossiers.placement import dossier_rules
from ocop_tracker.extensions import db
from ocop_tracker.reviews.models import Score
from ocop_tracker.reviews.services import council_result, current_round, score_dossier
from ocop_tracker.reviews.sheet_scoring import council_sheet, marks_by_criterion

from ..factories import QD26_DAY, dossier_in_state, fire, score_marks

SEATS = ("chair", "member", "member3")
STORY, ORIGIN = "11-5.1", "11-1.1"  # set 11: product story (4★ minimum, 5 points), raw material (3★ minimum, 2 points)


def admitted(world) -> Dossier:
    """A tea dossier filed under QĐ 26 at the provincial council, nobody has scored yet."""
    dossier = dossier_in_state(world, "provincial_review", day=QD26_DAY)
    fire(world, dossier, "admit", "province_officer", day=QD26_DAY)
    assert current_round(dossier).rule_set == "qd26-2026-commune"
    return dossier


def score(world, dossier: Dossier, parts: dict, short: dict[str, dict[str, int]] | None = None) -> None:
    """Every member gives `parts`; those named in `short` tick below the minimum of those criteria."""
    for seat in SEATS:
        score_marks(dossier, actor=world[seat], parts=parts, short_of=(short or {}).get(seat))


def close(world, dossier: Dossier) -> tuple[str, Decimal | None, int | None]:
    fire(world, dossier, "close_rating", "chair", day=QD26_DAY)
    evaluation = current_round(dossier)
    return dossier.state, evaluation.council_score, evaluation.star


def test_75_points_missing_a_4_star_minimum_get_3_stars(world):
    dossier = admitted(world)
    score(world, dossier, {"A": 30, "B": 20, "C": 25}, {seat: {STORY: 4} for seat in SEATS})
    found = council_sheet(dossier, current_round(dossier), dossier_rules(dossier))
    assert (found.band_star, found.minimum_star, found.proposed_star, found.minimums_checked) == (4, 3, 3, True)
    assert [(c.id, o.points) for c, o in found.blocking[4]] == [(STORY, 5)] and found.blocking[3] == []
    assert council_result(dossier, current_round(dossier), dossier_rules(dossier)).star == 3
    assert close(world, dossier) == ("awaiting_decision", Decimal("75.00"), 3)


def test_75_points_meeting_the_4_star_minimums_get_4_stars(world):
    dossier = admitted(world)
    score(world, dossier, {"A": 30, "B": 20, "C": 25})
    assert close(world, dossier) == ("awaiting_decision", Decimal("75.00"), 4)


def test_a_3_star_minimum_unmet_is_not_recognised(world):
    dossier = admitted(world)
    score(world, dossier, {"A": 25, "B": 17, "C": 20}, {seat: {ORIGIN: 3} for seat in SEATS})
    found = council_sheet(dossier, current_round(dossier), dossier_rules(dossier))
    assert (found.band_star, found.minimum_star) == (3, 2)
    assert [c.id for c, _ in found.blocking[3]] == [ORIGIN]
    assert close(world, dossier) == ("not_recognised", Decimal("62.00"), 2)


def test_two_of_three_members_meeting_a_minimum_meet_it(world):
    dossier = admitted(world)
    score(world, dossier, {"A": 30, "B": 20, "C": 25}, {"member3": {STORY: 4}})
    found = council_sheet(dossier, current_round(dossier), dossier_rules(dossier))
    row = next(row for row in found.rows if row.criterion.id == STORY)
    assert sorted(option.points for option in row.by_member.values()) == [3, 5, 5]
    assert (row.council_option.points, row.spread) == (5, 2)
    assert close(world, dossier) == ("awaiting_decision", Decimal("75.00"), 4)


def test_one_of_three_members_meeting_a_minimum_does_not_meet_it(world):
    dossier = admitted(world)
    score(world, dossier, {"A": 30, "B": 20, "C": 25}, {"member": {STORY: 4}, "member3": {STORY: 4}})
    found = council_sheet(dossier, current_round(dossier), dossier_rules(dossier))
    row = next(row for row in found.rows if row.criterion.id == STORY)
    assert row.council_option.points < 5 and [c.id for c, _ in found.blocking[4]] == [STORY]
    assert close(world, dossier) == ("awaiting_decision", Decimal("75.00"), 3)


def test_a_5_star_band_short_of_a_5_star_minimum_stays_at_the_province(world):
    dossier = admitted(world)
    score(world, dossier, {"A": 38, "B": 24, "C": 32}, {seat: {"11-7": 5} for seat in SEATS})  # not "rất độc đáo"
    assert close(world, dossier) == ("awaiting_decision", Decimal("94.00"), 4)  # not sent to the national council


def test_totals_entered_before_the_sheets_count_with_the_band_alone(world):
    """Existing data: a sheet round whose marks were three totals (no ticks) keeps its band; said in the sheet."""
    dossier = admitted(world)
    for seat in SEATS:
        db.session.add(Score(round_id=current_round(dossier).id, council_id=dossier.rating_council_id,
                             member_id=world[seat].id, part_a=30, part_b=20, part_c=25))
    db.session.flush()
    found = council_sheet(dossier, current_round(dossier), dossier_rules(dossier))
    assert (found.minimums_checked, found.band_star, found.proposed_star, found.score) == (False, 4, 4, 75)
    assert close(world, dossier) == ("awaiting_decision", Decimal("75.00"), 4)


def test_minimums_are_checked_on_the_members_who_scored_on_the_sheet_only(world):
    dossier = admitted(world)
    db.session.add(Score(round_id=current_round(dossier).id, council_id=dossier.rating_council_id,
                         member_id=world["member3"].id, part_a=30, part_b=20, part_c=25))
    for seat in ("chair", "member"):
        score_marks(dossier, actor=world[seat], parts={"A": 30, "B": 20, "C": 25},
                    short_of={STORY: 4} if seat == "member" else None)
    found = council_sheet(dossier, current_round(dossier), dossier_rules(dossier))
    # Of the two sheets, one ticks the story's minimum: not more than half, so unmet.
    assert found.minimums_checked and set(next(r for r in found.rows if r.criterion.id == STORY).by_member) == {
        world["chair"].id, world["member"].id}
    assert close(world, dossier) == ("awaiting_decision", Decimal("75.00"), 3)


def test_a_members_rejection_finding_is_shown_to_the_chair_without_changing_the_outcome(world):
    dossier = admitted(world)
    score(world, dossier, {"A": 30, "B": 20, "C": 25})
    finding = council_sheet(dossier, current_round(dossier), dossier_rules(dossier)).sheet.rejection_conditions[0]
    current = db.session.scalar(db.select(Score).filter_by(member_id=world["member"].id))
    ticks = {criterion: mark.option_id for criterion, mark in marks_by_criterion(current, current_round(dossier)).items()}
    score_dossier(dossier, actor=world["member"], criteria=ticks, rejection=f"  {finding}  ")
    found = council_sheet(dossier, current_round(dossier), dossier_rules(dossier))
    assert found.rejections == [(world["member"], finding)]
    assert close(world, dossier) == ("awaiting_decision", Decimal("75.00"), 4)
