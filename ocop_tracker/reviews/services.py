"""Evaluation rounds and council scores."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

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


def record_self_assessment(dossier: Dossier, *, actor: User, parts: dict) -> EvaluationRound:
    """The producer's own marks for parts A/B/C of the round being prepared."""
    if not can_edit_dossier(actor, dossier):
        raise NotPermitted("only the producer can self-assess a dossier being prepared")
    values = _parse_parts(parts, dossier_rules(dossier))
    evaluation = current_round(dossier)
    evaluation.self_part_a, evaluation.self_part_b, evaluation.self_part_c = values["A"], values["B"], values["C"]
    db.session.flush()
    return evaluation
