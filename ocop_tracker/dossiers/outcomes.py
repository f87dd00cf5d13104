"""Where close_rating, recognise, decide and withdraw lead: the branches the scores and decisions choose."""
from __future__ import annotations

from datetime import date
from fractions import Fraction

from ..clock import today as clock_today
from ..registry.services import current_certificate, holds_valid_certificate
from ..reviews.models import EvaluationRound
from ..reviews.sheet_scoring import minimum_star
from ..rules.rulesets import LOWEST_RECOGNISED_STAR, RuleSet
from .models import Dossier

PROVINCE_STAR_CAP = 4  # after the national council the province may recognise at most 4★ (QĐ 26 Điều 7.4)


def keeping_what_it_holds(dossier: Dossier, evaluation: EvaluationRound, outcome: str, star: int | None,
                          day: date) -> str:
    """A failed round keeps the product's valid certificate: not recognised, or an upgrade at or below its star."""
    if not holds_valid_certificate(dossier, day):
        return outcome
    if outcome == "not_recognised":
        return "certified"
    held = current_certificate(dossier)
    assert held is not None  # holds_valid_certificate has just found it
    if evaluation.kind == "upgrade" and outcome == "awaiting_decision" and star is not None and star <= held.star:
        return "certified"
    return outcome


def rating_destination(dossier: Dossier, evaluation: EvaluationRound, rules: RuleSet, score: Fraction,
                       day: date | None = None) -> str:
    """Where closing the rating leads at the dossier's level for this exact mean score and the sheet's minimums."""
    allowed = minimum_star(dossier, evaluation, rules)
    outcome = rules.rating_outcome(dossier.level or rules.first_council_level, score, allowed)
    return keeping_what_it_holds(dossier, evaluation, outcome, rules.proposed_star(score, allowed),
                                 day or clock_today())


def national_star(rules: RuleSet, score: Fraction) -> tuple[str, int | None]:
    """The national council's result: 5★ at 90 or more; else the province's decision with that band (at most 4★)."""
    star = rules.star_for(score)
    central = rules.level("central")
    if central is not None and star in central.recognises:
        return "certified", star
    if star >= LOWEST_RECOGNISED_STAR:
        return "awaiting_decision", min(star, PROVINCE_STAR_CAP)
    return "not_recognised", None


def national_destination(dossier: Dossier, evaluation: EvaluationRound, rules: RuleSet, score: Fraction,
                         day: date) -> str:
    outcome, star = national_star(rules, score)
    return keeping_what_it_holds(dossier, evaluation, outcome, star, day)


def decision_destination(dossier: Dossier, evaluation: EvaluationRound, line_outcome: str | None, day: date) -> str:
    """A decision's line: recognised → certified; not recognised → not_recognised, unless a certificate is kept."""
    outcome = "certified" if line_outcome == "recognise" else "not_recognised"
    return keeping_what_it_holds(dossier, evaluation, outcome, evaluation.star, day)
