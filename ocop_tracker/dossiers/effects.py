"""What an event changes on the dossier besides its state: rounds, levels, councils, batches, scores.

What follows in other domains (certificates, deadlines, mails) subscribes to `signals.transition_applied`.
"""
from __future__ import annotations

from fractions import Fraction
from typing import TypeVar

from ..activity.services import log_action
from ..clock import now
from ..decisions.models import DecisionItem
from ..extensions import db
from ..reviews.services import council_score, current_round, open_batch_for, open_round
from ..reviews.sheet_scoring import minimum_star
from ..rules.rulesets import RuleSet, shown_score
from .guards import EventInput, flagged_documents
from .models import Dossier
from .outcomes import national_star
from .placement import council_at, review_unit_for

# How a round that ends without a new certificate is written on it.
ROUND_ENDINGS = {"not_recognised": "not_recognised", "certified": "kept", "withdrawn": "withdrawn"}
T = TypeVar("T")


def _known(value: T | None, what: str) -> T:
    """What the event's guards made sure of (a council, a score, a star): its absence is a bug, not a refusal."""
    if value is None:
        raise RuntimeError(f"{what} is missing although the guards passed")
    return value


def _record_receipt(dossier: Dossier, _rules: RuleSet, given: EventInput, _from: str) -> None:
    if given.received_on is not None:
        dossier.received_on = given.received_on


def _submitted(dossier: Dossier, rules: RuleSet, given: EventInput, _from: str) -> None:
    """Freeze the rule set in force on the filing day on the round; its first level starts checking."""
    dossier.rules_snapshot, dossier.rule_set = rules.data, rules.code
    dossier.review_unit = review_unit_for(dossier, rules)
    dossier.level, dossier.rating_council_id = rules.first_level, None
    dossier.received_on = given.today
    evaluation = current_round(dossier)
    evaluation.submitted_on, evaluation.rule_set, evaluation.level = given.today, rules.code, rules.first_level


def _returned(dossier: Dossier, rules: RuleSet, given: EventInput, from_state: str) -> None:
    dossier.returned_from = from_state
    _record_receipt(dossier, rules, given, from_state)


def _resubmitted(dossier: Dossier, _rules: RuleSet, _given: EventInput, _from: str) -> None:
    dossier.returned_from = None


def _to_level(dossier: Dossier, level: str, council_id: int | None = None) -> None:
    dossier.level, dossier.rating_council_id = level, council_id
    current_round(dossier).level = level


def _forwarded(dossier: Dossier, rules: RuleSet, given: EventInput, from_state: str) -> None:
    """To the first level's own council (district era), or up to the provincial OCOP office."""
    if dossier.state == "star_rating":
        _to_level(dossier, rules.first_level, _known(council_at(dossier, rules.first_level, given.today), "the council").id)
    else:
        _to_level(dossier, "province")
    _record_receipt(dossier, rules, given, from_state)
    flagged = flagged_documents(dossier) if given.override else []
    if flagged:  # forwarded past documents an officer flagged: said in the activity log, the reason in the history
        log_action("dossier.forward_override", actor=given.actor, dossier=dossier, data={"documents": flagged})


def _admitted(dossier: Dossier, rules: RuleSet, given: EventInput, _from: str) -> None:
    """The provincial office admits the file: the provincial council scores it, in the open batch."""
    _to_level(dossier, "province", _known(council_at(dossier, "province", given.today), "the council").id)
    current_round(dossier).closed_at = None  # a new council's rating opens (a district's may have closed before)
    if rules.has_batches:
        current_round(dossier).batch = open_batch_for(dossier, given.batch_id, given.today)


def _close_round(dossier: Dossier, ending: str) -> None:
    """The round ends: certified, kept, not recognised, withdrawn or cancelled."""
    evaluation = current_round(dossier)
    evaluation.decision, evaluation.closed_at = ending, evaluation.closed_at or now()


def _rating_closed(dossier: Dossier, rules: RuleSet, _given: EventInput, _from: str) -> None:
    """Record the council's exact result (shown to two decimals) and send the file where it leads."""
    evaluation = current_round(dossier)
    score = _known(council_score(dossier, evaluation), "the council's score")
    star = rules.proposed_star(score, minimum_star(dossier, evaluation, rules))
    evaluation.council_score, evaluation.star = shown_score(score), star
    evaluation.closed_at = now()  # the council's marks are final and open to those who may read them
    if dossier.state == "provincial_review":
        _to_level(dossier, "province")
    elif dossier.state == "central_review":
        _to_level(dossier, "central")
    elif dossier.state in ROUND_ENDINGS:
        _close_round(dossier, ROUND_ENDINGS[dossier.state])


def _certify(dossier: Dossier, given: EventInput, star: int) -> None:
    """List the dossier on the decision and close the round as certified: the registry issues the certificate."""
    _list_on_decision(dossier, given, "recognise", star)
    _close_round(dossier, "certified")


def _list_on_decision(dossier: Dossier, given: EventInput, outcome: str, star: int | None) -> None:
    db.session.add(DecisionItem(decision=given.decision, dossier_id=dossier.id, round_id=current_round(dossier).id,
                                outcome=outcome, star=star))


def _recognised(dossier: Dossier, rules: RuleSet, given: EventInput, _from: str) -> None:
    """The national council's score: 5★ with the Ministry's decision, else back to the province with its band."""
    evaluation = current_round(dossier)
    evaluation.national_score = given.score
    score = Fraction(_known(given.score, "the national score"))
    _outcome, star = national_star(rules, score)
    if dossier.state == "certified" and _outcome == "certified":
        evaluation.star = star
        _certify(dossier, given, _known(star, "the star"))
    elif dossier.state == "awaiting_decision":
        evaluation.star = star
        _to_level(dossier, "province")
    else:  # not recognised, or a failed round that keeps the certificate held
        evaluation.star = rules.star_for(score)
        _close_round(dossier, ROUND_ENDINGS[dossier.state])


def _decided(dossier: Dossier, rules: RuleSet, given: EventInput, _from: str) -> None:
    """One line of a recognition decision: the certificate, or the refusal (a held certificate stays)."""
    evaluation = current_round(dossier)
    if given.outcome == "recognise":
        _certify(dossier, given, _known(evaluation.star, "the star"))
        return
    _list_on_decision(dossier, given, "not_recognise", None)
    _close_round(dossier, ROUND_ENDINGS[dossier.state])


def _withdrawn(dossier: Dossier, _rules: RuleSet, _given: EventInput, _from: str) -> None:
    if dossier.state == "certified":  # an upgrade or re-rating withdrawn: the certificate stays
        _close_round(dossier, "withdrawn")


def _round_cancelled(dossier: Dossier, _rules: RuleSet, _given: EventInput, _from: str) -> None:
    _close_round(dossier, "cancelled")


def _next_round(kind: str):
    def effect(dossier: Dossier, _rules: RuleSet, _given: EventInput, _from: str) -> None:
        open_round(dossier, kind)
        dossier.level, dossier.rating_council_id = None, None
    return effect


EFFECTS = {
    "submit": _submitted,
    "resubmit": _resubmitted,
    "return": _returned,
    "verify_vietgap": _record_receipt,
    "forward": _forwarded,
    "admit": _admitted,
    "close_rating": _rating_closed,
    "recognise": _recognised,
    "decide": _decided,
    "withdraw": _withdrawn,
    "request_upgrade": _next_round("upgrade"),
    "request_re_rating": _next_round("re_rating"),
    "reopen": _next_round("new"),
    "cancel_round": _round_cancelled,
}
