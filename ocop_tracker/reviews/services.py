"""Evaluation rounds and council scores."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from sqlalchemy.orm import joinedload

from ..accounts.models import User
from ..dossiers.models import Dossier
from ..dossiers.permissions import can_edit_dossier, council_seat
from ..dossiers.placement import dossier_rules
from ..extensions import db
from ..rules.rulesets import RuleSet, mean_score
from ..workflow import EventNotAllowed, GuardFailed, NotPermitted
from .models import EvaluationRound, Score


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


def record_score(dossier: Dossier, *, actor: User, parts: dict) -> Score:
    """A council member enters or corrects their own marks while the dossier is in star rating."""
    if council_seat(actor, dossier) is None:
        raise NotPermitted("only a member of this dossier's rating council can score it")
    if dossier.state != "star_rating":
        raise EventNotAllowed(f"scores are entered in star_rating, not {dossier.state}")
    values = _parse_parts(parts, dossier_rules(dossier))
    evaluation = current_round(dossier)
    score = db.session.scalar(db.select(Score).filter_by(round_id=evaluation.id, member_id=actor.id))
    if score is None:
        score = Score(round_id=evaluation.id, member_id=actor.id)
        db.session.add(score)
    score.part_a, score.part_b, score.part_c = values["A"], values["B"], values["C"]
    db.session.flush()
    return score


def council_score(evaluation: EvaluationRound) -> Decimal | None:
    """The mean of the members' totals, or None before anyone scored."""
    totals = [score.total for score in evaluation.scores]
    return mean_score(totals) if totals else None


def own_score(evaluation: EvaluationRound, user: User | None) -> Score | None:
    """The user's own marks in the round, if they have scored."""
    if user is None:
        return None
    return db.session.scalar(db.select(Score).filter_by(round_id=evaluation.id, member_id=user.id))


def round_scores(evaluation: EvaluationRound) -> list[Score]:
    """Every member's marks in the round, with the member loaded (one query)."""
    return list(db.session.scalars(db.select(Score).filter_by(round_id=evaluation.id)
                                   .options(joinedload(Score.member)).order_by(Score.id)))


def dossier_rounds(dossier: Dossier) -> list[EvaluationRound]:
    """All the dossier's evaluation rounds, oldest first (one query)."""
    return list(db.session.scalars(db.select(EvaluationRound).filter_by(dossier_id=dossier.id)
                                   .order_by(EvaluationRound.number)))


@dataclass(frozen=True)
class CouncilResult:
    """What the marks of a round add up to, and where closing the rating would lead."""

    count: int
    quorum: int
    mean: Decimal | None
    parts: dict[str, Decimal]
    star: int | None
    outcome: str | None

    @property
    def quorum_met(self) -> bool:
        return self.count >= self.quorum


def council_result(scores: list[Score], rules: RuleSet) -> CouncilResult:
    """The mean of the members' totals and of each part, its star and close_rating's outcome."""
    if not scores:
        return CouncilResult(0, rules.quorum, None, {}, None, None)
    mean = mean_score([score.total for score in scores])
    parts = {part: mean_score([getattr(score, f"part_{part.lower()}") for score in scores])
             for part in rules.part_maxima}
    return CouncilResult(len(scores), rules.quorum, mean, parts, rules.star_for(mean), rules.rating_outcome(mean))


def record_self_assessment(dossier: Dossier, *, actor: User, parts: dict) -> EvaluationRound:
    """The producer's own marks for parts A/B/C of the round being prepared."""
    if not can_edit_dossier(actor, dossier):
        raise NotPermitted("only the producer can self-assess a dossier being prepared")
    values = _parse_parts(parts, dossier_rules(dossier))
    evaluation = current_round(dossier)
    evaluation.self_part_a, evaluation.self_part_b, evaluation.self_part_c = values["A"], values["B"], values["C"]
    db.session.flush()
    return evaluation
