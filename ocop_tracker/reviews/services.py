"""Evaluation rounds and council scores."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from sqlalchemy.orm import joinedload

from ..accounts.models import User
from ..activity.services import changes, log_action, snapshot
from ..dossiers.models import Dossier
from ..dossiers.outcomes import rating_destination
from ..dossiers.permissions import can_edit_dossier, council_seat
from ..dossiers.placement import dossier_rules, province_of
from ..extensions import db
from ..rules.rulesets import RuleSet, exact_mean, mean_score, shown_score
from ..workflow import EventNotAllowed, GuardFailed, NotPermitted
from .models import CouncilMember, EvaluationBatch, EvaluationRound, Score


def current_round(dossier: Dossier) -> EvaluationRound:
    return db.session.scalars(db.select(EvaluationRound).filter_by(
        dossier_id=dossier.id, number=dossier.round_number)).one()


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


def score_dossier(dossier: Dossier, *, actor: User, parts: dict) -> Score:
    """A council member enters or corrects their own marks while the dossier is in star rating."""
    if council_seat(actor, dossier) is None:
        raise NotPermitted("only a member of this dossier's rating council can score it")
    if actor.organisation_id is not None and actor.organisation_id == dossier.product.organisation_id:
        raise NotPermitted("a member who belongs to the producer's organisation cannot score its product")
    if dossier.state != "star_rating":
        raise EventNotAllowed(f"scores are entered in star_rating, not {dossier.state}")
    values = _parse_parts(parts, dossier_rules(dossier))
    evaluation = current_round(dossier)
    council_id = dossier.rating_council_id
    score = db.session.scalar(db.select(Score).filter_by(round_id=evaluation.id, council_id=council_id,
                                                         member_id=actor.id))
    if score is None:
        score = Score(round_id=evaluation.id, council_id=council_id, member_id=actor.id)
        db.session.add(score)
    before = snapshot(score, "part_a", "part_b", "part_c")
    score.part_a, score.part_b, score.part_c = values["A"], values["B"], values["C"]
    db.session.flush()
    # Not on the dossier's page: who scored what stays hidden until a member has scored (reviews/views.py).
    log_action("reviews.score", actor=actor, obj=score,
               data={"dossier_id": dossier.id, "round": evaluation.number, "changes": changes(before, score)})
    return score


def sitting_members(council_id: int | None, dossier: Dossier | None = None) -> list[CouncilMember]:
    """The council's members now; one who belongs to the producer's organisation does not sit for its product."""
    if council_id is None:
        return []
    members = db.session.scalars(db.select(CouncilMember).filter_by(council_id=council_id)
                                 .order_by(CouncilMember.id)).all()
    return list(members) if dossier is None else seated_for(members, dossier)


def seated_for(members, dossier: Dossier) -> list[CouncilMember]:
    """Of the council's members (in seat order), those who sit for the dossier's product."""
    return [m for m in members if m.user.organisation_id is None
            or m.user.organisation_id != dossier.product.organisation_id]


def counted_scores(evaluation: EvaluationRound, members: list[CouncilMember]) -> list[Score]:
    """The marks that count: this council's, given by members who still sit on it."""
    return counting(round_scores(evaluation), members) if members else []


def counting(scores: list[Score], members: list[CouncilMember]) -> list[Score]:
    """Of a round's marks, those of the sitting members' council given by members who still sit on it."""
    if not members:
        return []
    council_id, sitting = members[0].council_id, {member.user_id for member in members}
    return [score for score in scores if score.council_id == council_id and score.member_id in sitting]


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


def own_score(evaluation: EvaluationRound, user: User | None) -> Score | None:
    """The user's own marks in the round, if they have scored."""
    if user is None:
        return None
    return db.session.scalar(db.select(Score).filter_by(round_id=evaluation.id, member_id=user.id))


def round_scores(evaluation: EvaluationRound) -> list[Score]:
    """Every member's marks in the round (every council's), with the member loaded (one query)."""
    return list(db.session.scalars(db.select(Score).filter_by(round_id=evaluation.id)
                                   .options(joinedload(Score.member)).order_by(Score.id)))


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
    """The exact mean of the sitting members' totals (shown cut to two decimals), each part's, the star, the outcome."""
    members = sitting_members(dossier.rating_council_id, dossier)
    scores = counted_scores(evaluation, members)
    quorum = rules.quorum(len(members))
    if not scores:
        return CouncilResult(0, quorum, None, {}, None, None)
    exact = exact_mean([score.total for score in scores])
    parts = {part: mean_score([getattr(score, f"part_{part.lower()}") for score in scores])
             for part in rules.part_maxima}
    return CouncilResult(len(scores), quorum, shown_score(exact), parts, rules.star_for(exact),
                         rating_destination(dossier, evaluation, rules, exact),
                         tuple(score.id for score in spread_flags(scores, rules)))


def record_self_assessment(dossier: Dossier, *, actor: User, parts: dict) -> EvaluationRound:
    """The producer's own marks for parts A/B/C of the round being prepared."""
    if not can_edit_dossier(actor, dossier):
        raise NotPermitted("only the producer can self-assess a dossier being prepared")
    values = _parse_parts(parts, dossier_rules(dossier))
    evaluation = current_round(dossier)
    before = snapshot(evaluation, "self_part_a", "self_part_b", "self_part_c")
    evaluation.self_part_a, evaluation.self_part_b, evaluation.self_part_c = values["A"], values["B"], values["C"]
    db.session.flush()
    log_action("reviews.self_assessment", actor=actor, dossier=dossier, obj=evaluation,
               data={"round": evaluation.number, "changes": changes(before, evaluation),
                     "summary": f"A {values['A']} · B {values['B']} · C {values['C']}"})
    return evaluation
