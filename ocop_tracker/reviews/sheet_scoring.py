"""Scoring on the official sheet (QĐ 26/2026 Phụ lục II): the ticks, the council's option per criterion, the minimums.

A member ticks one option per criterion; their parts and total are the points of the ticked options. The council's
option for a criterion combines the members' ticks by the rule set's `sheet_combination` (a strict majority: the
lower median by points). An option marked for S★ is met when the council's option is worth at least as many points
in that criterion; a star needs its own minimums and every lower star's.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from ..accounts.models import User
from ..dossiers.models import Dossier
from ..dossiers.placement import dossier_rules
from ..extensions import db
from ..products.services import normalised_text
from ..rules.rulesets import LOWEST_RECOGNISED_STAR, RuleSet, exact_mean
from ..rules.sheets import Criterion, Option, Sheet, load_sheets
from ..text_rules import NOTE_MAX
from ..workflow import GuardFailed
from .counting import counted_scores, sitting_members
from .models import EvaluationRound, Score, SheetMark

TOP_STAR = 5
Ticks = dict[str, tuple[Option, str | None]]  # criterion id → the option ticked and the note


def round_sheet(evaluation: EvaluationRound, dossier: Dossier) -> Sheet | None:
    """The sheet of the round's rule set for the product's set; None for the district-era rule sets."""
    code = evaluation.rule_set or dossier_rules(dossier).code
    try:
        return load_sheets(code).by_app_code(dossier.product.product_set.code)
    except (LookupError, StopIteration):
        return None


def parse_ticks(sheet: Sheet, criteria: dict, notes: dict | None, *, complete: bool) -> Ticks:
    """{criterion id: option id} read against the sheet; GuardFailed names the criteria in question.

    An empty option (None or "") leaves the criterion unticked, which only a partial sheet may do."""
    known = {criterion.id: criterion for criterion in sheet.criteria}
    notes = notes or {}
    strangers = sorted(str(key) for key in {*criteria, *notes} if key not in known)
    if strangers:
        raise GuardFailed("these criteria are not on the product set's sheet", strangers)
    ticks: Ticks = {}
    wrong, long_notes = [], []
    for criterion_id, option_id in criteria.items():
        if option_id in (None, ""):
            continue
        option = next((o for o in known[criterion_id].options if o.id == option_id), None)
        if option is None:
            wrong.append(criterion_id)
            continue
        note = normalised_text(notes.get(criterion_id) if isinstance(notes.get(criterion_id), str) else "") or None
        if note is not None and len(note) > NOTE_MAX:
            long_notes.append(criterion_id)
        ticks[criterion_id] = (option, note)
    if wrong:
        raise GuardFailed("each option must be one of its own criterion's options", wrong)
    if long_notes:
        raise GuardFailed(f"a note holds at most {NOTE_MAX} characters", long_notes)
    missing = [criterion.id for criterion in sheet.criteria if criterion.id not in ticks]
    if complete and missing:
        raise GuardFailed("every criterion of the sheet needs one option", missing)
    return ticks


def ticked_parts(sheet: Sheet, ticks: Ticks) -> dict[str, Decimal]:
    """Each part's points: the sum of the options ticked in it."""
    return {part.code: Decimal(sum(ticks[c.id][0].points for c in part.criteria if c.id in ticks))
            for part in sheet.parts}


def marks_by_criterion(score: Score | None, evaluation: EvaluationRound) -> dict[str, SheetMark]:
    """A member's ticks in the round (score None: the producer's self-assessment), by criterion id."""
    statement = db.select(SheetMark).filter_by(round_id=evaluation.id)
    statement = statement.where(SheetMark.score_id.is_(None) if score is None else SheetMark.score_id == score.id)
    return {mark.criterion_id: mark for mark in db.session.scalars(statement.order_by(SheetMark.id))}


def save_ticks(evaluation: EvaluationRound, score: Score | None, ticks: Ticks) -> dict[str, list]:
    """Store the ticks as the whole sheet of that member (or the producer): {criterion: [old, new]} changed."""
    kept = marks_by_criterion(score, evaluation)
    changed: dict[str, list] = {}
    for criterion_id, dropped in kept.items():
        if criterion_id not in ticks:
            changed[criterion_id] = [dropped.option_id, None]
            db.session.delete(dropped)
    for criterion_id, (option, note) in ticks.items():
        mark = kept.get(criterion_id)
        if mark is None:
            mark = SheetMark(round_id=evaluation.id, score_id=score.id if score else None, criterion_id=criterion_id,
                             option_id=option.id)
            db.session.add(mark)
            changed[criterion_id] = [None, option.id]
        elif mark.option_id != option.id:
            changed[criterion_id] = [mark.option_id, option.id]
            mark.option_id = option.id
        if mark.note != note:
            changed.setdefault(criterion_id, [mark.option_id, option.id])
            mark.note = note
    return changed


def council_option(options: list[Option], rules: RuleSet) -> Option | None:
    """The option a strict majority of the members ticked or bettered: the lower median by points."""
    if not options:
        return None
    assert rules.sheet_combination["rule"] == "majority"  # the only rule the data names (see rules/data)
    ranked = sorted(options, key=lambda option: option.points, reverse=True)
    return ranked[len(ranked) // 2]


def meets(criterion: Criterion, ticked: Option | None, minimum: Option) -> bool:
    """A minimum is met by a tick on it or on an option worth at least as many points in the same criterion."""
    return ticked is not None and ticked.points >= minimum.points and ticked in criterion.options


@dataclass(frozen=True)
class CriterionRow:
    criterion: Criterion
    part: str
    by_member: dict[int, Option]
    self_option: Option | None
    council_option: Option | None

    @property
    def spread(self) -> int:
        points = [option.points for option in self.by_member.values()]
        return max(points) - min(points) if points else 0


@dataclass(frozen=True)
class CouncilSheet:
    """The council's sheet for a round: each member's ticks, the combination, the star bands and the minimums."""

    sheet: Sheet
    rows: list[CriterionRow]
    score: Fraction | None  # the exact mean of the counted totals
    band_star: int | None
    minimum_star: int  # the highest star whose minimums are all met; 2 when the 3★ ones are not
    minimums_checked: bool  # False when no counted member scored on the sheet (totals entered before the sheets)
    blocking: dict[int, list[tuple[Criterion, Option]]]  # per star 3/4/5, the minimums marked for it not met
    rejections: list[tuple[User, str]] = field(default_factory=list)

    @property
    def proposed_star(self) -> int | None:
        return None if self.band_star is None else min(self.band_star, self.minimum_star)

    def council_options(self) -> dict[str, Option | None]:
        return {row.criterion.id: row.council_option for row in self.rows}


def _unmet(sheet: Sheet, chosen: dict[str, Option | None], star: int) -> list[tuple[Criterion, Option]]:
    return [(criterion, option) for criterion, option in sheet.minimums(star)
            if not meets(criterion, chosen.get(criterion.id), option)]


def reachable_star(blocking: dict[int, list[tuple[Criterion, Option]]]) -> int:
    """The highest star whose minimums and every lower star's are met (2 below the first recognised star)."""
    reached = LOWEST_RECOGNISED_STAR - 1
    for star in range(LOWEST_RECOGNISED_STAR, TOP_STAR + 1):
        if blocking[star]:
            break
        reached = star
    return reached


def council_sheet(dossier: Dossier, evaluation: EvaluationRound, rules: RuleSet) -> CouncilSheet | None:
    """The council's sheet of the round from the counted marks; None when the round has no sheet."""
    sheet = round_sheet(evaluation, dossier)
    if sheet is None:
        return None
    return sheet_of(sheet, evaluation, counted_scores(evaluation, sitting_members(dossier.rating_council_id, dossier)),
                    rules)


def sheet_of(sheet: Sheet, evaluation: EvaluationRound, scores: list[Score], rules: RuleSet) -> CouncilSheet:
    """The council's sheet from these members' marks (and the producer's own ticks beside them)."""
    marks = db.session.scalars(db.select(SheetMark).filter_by(round_id=evaluation.id).order_by(SheetMark.id))
    member_of = {score.id: score.member_id for score in scores}
    ticked: dict[str, dict[int, Option]] = {criterion.id: {} for criterion in sheet.criteria}
    own: dict[str, Option] = {}
    for mark in marks:
        if mark.criterion_id not in ticked:
            continue
        option = next((o for o in sheet.criterion(mark.criterion_id).options if o.id == mark.option_id), None)
        if option is None:
            continue
        if mark.score_id is None:
            own[mark.criterion_id] = option
        elif mark.score_id in member_of:
            ticked[mark.criterion_id][member_of[mark.score_id]] = option
    rows = [CriterionRow(criterion, part.code, ticked[criterion.id], own.get(criterion.id),
                         council_option(list(ticked[criterion.id].values()), rules))
            for part in sheet.parts for criterion in part.criteria]
    on_sheet = {member for row in rows for member in row.by_member}
    chosen = {row.criterion.id: row.council_option for row in rows}
    checked = bool(on_sheet)
    blocking = {star: _unmet(sheet, chosen, star) if checked else [] for star in range(3, TOP_STAR + 1)}
    score = exact_mean([s.total for s in scores]) if scores else None
    return CouncilSheet(sheet=sheet, rows=rows, score=score,
                        band_star=rules.star_for(score) if score is not None else None,
                        minimum_star=reachable_star(blocking) if checked else TOP_STAR,
                        minimums_checked=checked, blocking=blocking,
                        rejections=[(s.member, s.rejection) for s in scores if s.rejection])


def minimum_star(dossier: Dossier, evaluation: EvaluationRound, rules: RuleSet) -> int | None:
    """The star the minimums allow this round (None: no sheet, or no member scored on it)."""
    found = council_sheet(dossier, evaluation, rules)
    return found.minimum_star if found is not None and found.minimums_checked else None
