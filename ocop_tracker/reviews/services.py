"""Evaluation rounds and council scores."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from ..accounts.models import User
from ..activity.services import changes, log_action, snapshot
from ..dossiers.models import Dossier
from ..dossiers.outcomes import rating_destination
from ..dossiers.permissions import can_edit_dossier, council_seat
from ..dossiers.placement import dossier_rules, province_of
from ..extensions import db
from ..products.services import normalised_text
from ..rules.rulesets import RuleSet, exact_mean, mean_score, shown_score
from ..rules.sheets import Sheet
from ..text_rules import NOTE_MAX
from ..workflow import EventNotAllowed, GuardFailed, NotPermitted
from .counting import (  # noqa: F401  the pages and the workflow import these from here
    counted_scores,
    counting,
    current_round,
    own_score,
    round_scores,
    seated_for,
    sitting_members,
)
from .models import EvaluationBatch, EvaluationRound, Score
from .sheet_scoring import Ticks, minimum_star, parse_ticks, round_sheet, save_ticks, ticked_parts


def open_round(dossier: Dossier, kind: str) -> EvaluationRound:
    """Start the dossier's next evaluation round; earlier rounds keep their scores and decision."""
    dossier.round_number += 1
    dossier.dossier_type = kind
    dossier.rules_snapshot = None  # the next submission freezes the rules then in force
    evaluation = EvaluationRound(dossier_id=dossier.id, number=dossier.round_number, kind=kind)
    db.session.add(evaluation)
    return evaluation


def _parse_parts(parts: dict, rules: RuleSet) -> dict[str, Decimal]:
    """Each part as a number between 0 and its maximum; the problems listed otherwise."""
    parsed, problems = {}, []
    for part, maximum in rules.part_maxima.items():
        try:
            value = Decimal(str(parts[part]))
        except (KeyError, InvalidOperation, TypeError):
            problems.append(part)
            continue
        if not value.is_finite() or not 0 <= value <= maximum:
            problems.append(f"{part} (0–{maximum})")
        else:
            parsed[part] = value
    if problems:
        raise GuardFailed("scores must be numbers within each part's maximum", problems)
    return parsed


def score_dossier(dossier: Dossier, *, actor: User, parts: dict | None = None, criteria: dict | None = None,
                  notes: dict | None = None, rejection: str | None = None) -> Score:
    """A council member enters or corrects their own marks while the dossier is in star rating.

    On a sheet round the member ticks one option per criterion (`criteria`, notes optional) and the parts are
    computed; `parts` are typed only for rounds of the district-era rule sets, which have no sheets."""
    if council_seat(actor, dossier) is None:
        raise NotPermitted("only a member of this dossier's rating council can score it")
    if actor.organisation_id is not None and actor.organisation_id == dossier.product.organisation_id:
        raise NotPermitted("a member who belongs to the producer's organisation cannot score its product")
    if dossier.state != "star_rating":
        raise EventNotAllowed(f"scores are entered in star_rating, not {dossier.state}")
    evaluation = current_round(dossier)
    sheet = round_sheet(evaluation, dossier)
    ticks = _sheet_or_parts(sheet, parts, criteria, notes, complete=True)
    values = ticked_parts(sheet, ticks) if sheet else _parse_parts(parts or {}, dossier_rules(dossier))
    finding = _rejection(rejection)
    council_id = dossier.rating_council_id
    score = db.session.scalar(db.select(Score).filter_by(round_id=evaluation.id, council_id=council_id,
                                                         member_id=actor.id))
    if score is None:
        score = Score(round_id=evaluation.id, council_id=council_id, member_id=actor.id)
        db.session.add(score)
    before = snapshot(score, "part_a", "part_b", "part_c", "rejection")
    score.part_a, score.part_b, score.part_c = values["A"], values["B"], values["C"]
    score.rejection = finding
    db.session.flush()
    data = {"dossier_id": dossier.id, "round": evaluation.number, "changes": changes(before, score)}
    if sheet:
        data["criteria"] = save_ticks(evaluation, score, ticks)
        db.session.flush()
    # Not on the dossier's page: who scored what stays hidden until a member has scored (reviews/views.py).
    log_action("reviews.score", actor=actor, obj=score, data=data)
    return score


def _sheet_or_parts(sheet: Sheet | None, parts: dict | None, criteria: dict | None, notes: dict | None, *,
                    complete: bool) -> Ticks:
    """The ticks of a sheet round (parts refused there), or nothing for a round without a sheet (criteria refused)."""
    if sheet is None:
        if criteria is not None or notes:
            raise GuardFailed("this round's rule set has no scoring sheet: enter the parts", ["criteria"])
        return {}
    if parts is not None:
        raise GuardFailed("this round is scored on the sheet: tick one option per criterion", ["parts"])
    return parse_ticks(sheet, criteria or {}, notes, complete=complete)


def _rejection(rejection: str | None) -> str | None:
    finding = normalised_text(rejection) or None
    if finding is not None and len(finding) > NOTE_MAX:
        raise GuardFailed(f"the rejection finding holds at most {NOTE_MAX} characters", ["rejection"])
    return finding










def council_score(dossier: Dossier, evaluation: EvaluationRound) -> Fraction | None:
    """The exact mean of the counted totals, or None before anyone scored."""
    scores = counted_scores(evaluation, sitting_members(dossier.rating_council_id, dossier))
    return exact_mean([score.total for score in scores]) if scores else None


def spread_flags(scores: list[Score], rules: RuleSet) -> list[Score]:
    """Marks more than the rule set's spread from the mean of the others' (to be looked at before closing)."""
    if len(scores) < 2:
        return []
    flagged = []
    for score in scores:
        others = exact_mean([other.total for other in scores if other is not score])
        if abs(Fraction(score.total) - others) > rules.score_spread:
            flagged.append(score)
    return flagged


def open_batch_for(dossier: Dossier, batch_id: int | None, day: date) -> EvaluationBatch | None:
    """The batch `admit` places the file in: the one named, or the open batch with the nearest cut-off."""
    province = province_of(dossier)
    if province is None:
        return None
    statement = db.select(EvaluationBatch).filter_by(unit_id=province.id, closed_on=None).where(
        EvaluationBatch.filing_cutoff >= day)
    if batch_id is not None:
        statement = statement.where(EvaluationBatch.id == batch_id)
    return db.session.scalar(statement.order_by(EvaluationBatch.filing_cutoff, EvaluationBatch.id).limit(1))






def dossier_rounds(dossier: Dossier) -> list[EvaluationRound]:
    """All the dossier's evaluation rounds, oldest first (one query)."""
    return list(db.session.scalars(db.select(EvaluationRound).filter_by(dossier_id=dossier.id)
                                   .order_by(EvaluationRound.number)))


@dataclass(frozen=True)
class CouncilResult:
    """What the counted marks of a round add up to, and where closing the rating would lead."""

    count: int
    quorum: int
    mean: Decimal | None
    parts: dict[str, Decimal]
    star: int | None
    outcome: str | None
    flagged: tuple[int, ...] = ()  # ids of marks further than the spread from the others'

    @property
    def quorum_met(self) -> bool:
        return self.count >= self.quorum


def council_result(dossier: Dossier, evaluation: EvaluationRound, rules: RuleSet) -> CouncilResult:
    """The exact mean of the sitting members' totals (shown cut to two decimals), each part's, the star (capped by
    the sheet's minimums), the outcome."""
    members = sitting_members(dossier.rating_council_id, dossier)
    scores = counted_scores(evaluation, members)
    quorum = rules.quorum(len(members))
    if not scores:
        return CouncilResult(0, quorum, None, {}, None, None)
    exact = exact_mean([score.total for score in scores])
    parts = {part: mean_score([getattr(score, f"part_{part.lower()}") for score in scores])
             for part in rules.part_maxima}
    star = rules.proposed_star(exact, minimum_star(dossier, evaluation, rules))
    return CouncilResult(len(scores), quorum, shown_score(exact), parts, star,
                         rating_destination(dossier, evaluation, rules, exact),
                         tuple(score.id for score in spread_flags(scores, rules)))


def record_self_assessment(dossier: Dossier, *, actor: User, parts: dict | None = None,
                           criteria: dict | None = None, notes: dict | None = None) -> EvaluationRound:
    """The producer's own marks for the round being prepared: on the sheet (part of it may be saved, as a draft),
    or parts A/B/C for a rule set without sheets. The parts shown are the sums of the options ticked."""
    if not can_edit_dossier(actor, dossier):
        raise NotPermitted("only the producer can self-assess a dossier being prepared")
    evaluation = current_round(dossier)
    sheet = round_sheet(evaluation, dossier)
    ticks = _sheet_or_parts(sheet, parts, criteria, notes, complete=False)
    values: dict[str, Decimal | None]
    if sheet is None:
        values = dict(_parse_parts(parts or {}, dossier_rules(dossier)))
    else:
        values = dict(ticked_parts(sheet, ticks)) if ticks else {"A": None, "B": None, "C": None}
    before = snapshot(evaluation, "self_part_a", "self_part_b", "self_part_c")
    evaluation.self_part_a, evaluation.self_part_b, evaluation.self_part_c = values["A"], values["B"], values["C"]
    data: dict = {"round": evaluation.number, "changes": changes(before, evaluation),
                  "summary": f"A {values['A']} · B {values['B']} · C {values['C']}"}
    if sheet is not None:
        data["criteria"] = save_ticks(evaluation, None, ticks)
        data["ticked"] = f"{len(ticks)}/{len(sheet.criteria)}"
    db.session.flush()
    log_action("reviews.self_assessment", actor=actor, dossier=dossier, obj=evaluation, data=data)
    return evaluation
