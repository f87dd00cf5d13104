"""Scoring on the sheet: one option per criterion, parts computed, refusals naming the criteria; the producer's
self-assessment on the same sheet, part of it at a time."""
from __future__ import annotations

from decimal import Decimal

import pytest

from ocop_tracker.activity.models import ActivityRecord
from ocop_tracker.dossiers.placement import dossier_rules
from ocop_tracker.extensions import db
from ocop_tracker.labels import missing_label
from ocop_tracker.reviews.models import Score, SheetMark
from ocop_tracker.reviews.services import current_round, record_self_assessment, score_dossier
from ocop_tracker.reviews.sheet_fill import ticks_for_parts
from ocop_tracker.reviews.sheet_scoring import council_sheet, marks_by_criterion, round_sheet
from ocop_tracker.workflow import GuardFailed

from ..factories import district_era_rating, new_dossier
from .test_star_minimums import admitted


def _sheet(dossier):
    return round_sheet(current_round(dossier), dossier)


def test_a_member_ticks_every_criterion_and_the_parts_are_computed(world):
    dossier = admitted(world)
    ticks = ticks_for_parts(_sheet(dossier), {"A": 31, "B": 19, "C": 26})
    score = score_dossier(dossier, actor=world["member"], criteria=ticks, notes={"11-7": "Hương cốm rõ"})
    assert (score.part_a, score.part_b, score.part_c, score.total) == (31, 19, 26, 76)
    marks = marks_by_criterion(score, current_round(dossier))
    assert {c: m.option_id for c, m in marks.items()} == ticks and marks["11-7"].note == "Hương cốm rõ"
    logged = db.session.scalar(db.select(ActivityRecord).filter_by(action="reviews.score"))
    assert logged.data["criteria"]["11-7"] == [None, ticks["11-7"]] and logged.data["changes"]["part_a"][1] == "31"


def test_a_correction_replaces_the_members_ticks(world):
    dossier = admitted(world)
    sheet = _sheet(dossier)
    score_dossier(dossier, actor=world["member"], criteria=ticks_for_parts(sheet, {"A": 31, "B": 19, "C": 26}))
    again = ticks_for_parts(sheet, {"A": 20, "B": 10, "C": 15})
    score = score_dossier(dossier, actor=world["member"], criteria=again)
    assert score.total == 45 and db.session.scalar(db.select(db.func.count(SheetMark.id))) == len(sheet.criteria)
    assert {c: m.option_id for c, m in marks_by_criterion(score, current_round(dossier)).items()} == again


def test_missing_criteria_are_named(world):
    dossier = admitted(world)
    ticks = ticks_for_parts(_sheet(dossier), {"A": 31, "B": 19, "C": 26})
    del ticks["11-1.5"], ticks["11-9"]
    with pytest.raises(GuardFailed) as refused:
        score_dossier(dossier, actor=world["member"], criteria=ticks)
    assert refused.value.missing == ["11-1.5", "11-9"]
    assert db.session.scalar(db.select(db.func.count(Score.id))) == 0


def test_an_option_of_another_criterion_is_refused_naming_the_criterion(world):
    dossier = admitted(world)
    ticks = ticks_for_parts(_sheet(dossier), {"A": 31, "B": 19, "C": 26})
    ticks["11-1.5"] = ticks["11-1.6"]
    with pytest.raises(GuardFailed) as refused:
        score_dossier(dossier, actor=world["member"], criteria=ticks)
    assert refused.value.missing == ["11-1.5"]


def test_a_criterion_not_on_the_sheet_is_refused(world):
    dossier = admitted(world)
    ticks = ticks_for_parts(_sheet(dossier), {"A": 31, "B": 19, "C": 26})
    with pytest.raises(GuardFailed) as refused:
        score_dossier(dossier, actor=world["member"], criteria={**ticks, "01-1.1": "01-1.1-1"})
    assert refused.value.missing == ["01-1.1"]


def test_a_note_longer_than_a_note_is_refused(world):
    dossier = admitted(world)
    ticks = ticks_for_parts(_sheet(dossier), {"A": 31, "B": 19, "C": 26})
    with pytest.raises(GuardFailed) as refused:
        score_dossier(dossier, actor=world["member"], criteria=ticks, notes={"11-7": "x" * 2001})
    assert refused.value.missing == ["11-7"]


def test_parts_are_refused_on_a_sheet_round_and_taken_on_a_district_era_round(world):
    dossier = admitted(world)
    with pytest.raises(GuardFailed) as refused:
        score_dossier(dossier, actor=world["member"], parts={"A": 30, "B": 20, "C": 25})
    assert refused.value.missing == ["parts"]
    district = district_era_rating(world)
    assert _sheet(district) is None
    with pytest.raises(GuardFailed) as refused:
        score_dossier(district, actor=world["district_member"], criteria={"11-1.1": "11-1.1-1"})
    assert refused.value.missing == ["criteria"]
    score = score_dossier(district, actor=world["district_member"], parts={"A": "30.5", "B": 20, "C": 25})
    assert score.total == Decimal("75.5") and council_sheet(district, current_round(district),
                                                             dossier_rules(district)) is None


def test_the_producer_saves_part_of_the_sheet_and_sees_its_parts(world):
    draft = new_dossier(world)
    sheet = _sheet(draft)
    assert sheet is not None and sheet.app_code == "set-11"  # the rules in force today: QĐ 26's sheets
    full = ticks_for_parts(sheet, {"A": 30, "B": 18, "C": 24})
    part_a = {c.id: full[c.id] for c in sheet.parts[0].criteria}
    evaluation = record_self_assessment(draft, actor=world["producer"], criteria=part_a)
    assert (evaluation.self_part_a, evaluation.self_part_b, evaluation.self_part_c) == (30, 0, 0)
    assert set(marks_by_criterion(None, evaluation)) == set(part_a)
    evaluation = record_self_assessment(draft, actor=world["producer"], criteria={**full, "11-7": ""})
    assert evaluation.self_part_b == 18 and "11-7" not in marks_by_criterion(None, evaluation)
    logged = db.session.scalars(db.select(ActivityRecord).filter_by(action="reviews.self_assessment")).all()
    assert len(logged) == 2 and logged[-1].data["ticked"] == f"{len(full) - 1}/{len(sheet.criteria)}"
    evaluation = record_self_assessment(draft, actor=world["producer"], criteria={})
    assert evaluation.self_part_a is None and marks_by_criterion(None, evaluation) == {}


def test_the_council_sees_the_producers_ticks_beside_its_own(world):
    dossier = admitted(world)
    own = {c: m.option_id for c, m in marks_by_criterion(None, current_round(dossier)).items()}
    assert own == {}  # filed without a self-assessment
    sheet = _sheet(dossier)
    evaluation = current_round(dossier)
    db.session.add(SheetMark(round_id=evaluation.id, score_id=None, criterion_id="11-7", option_id="11-7-4"))
    score_dossier(dossier, actor=world["member"], criteria=ticks_for_parts(sheet, {"A": 31, "B": 19, "C": 26}))
    found = council_sheet(dossier, evaluation, dossier_rules(dossier))
    row = next(row for row in found.rows if row.criterion.id == "11-7")
    assert row.self_option.id == "11-7-4" and set(row.by_member) == {world["member"].id}


def test_a_refusal_names_the_criterion_in_words(app):
    with app.test_request_context("/"):
        assert missing_label("11-1.5") == "một phương án của tiêu chí 1.5 trên phiếu"
        assert missing_label("parts").startswith("phiếu chấm theo từng tiêu chí")
