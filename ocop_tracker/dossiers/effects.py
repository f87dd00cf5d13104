"""What an event changes besides the state: rounds, scores, certificates, receipt dates."""
from __future__ import annotations

from ..clock import now
from ..registry.services import current_certificate, issue_certificate
from ..reviews.services import council_score, current_round, open_round
from ..rules.rulesets import RuleSet, get_rule_set
from .guards import EventInput
from .models import Dossier
from .placement import rating_council_for, review_unit_for


def _record_receipt(dossier: Dossier, _rules: RuleSet, given: EventInput, _from: str) -> None:
    if given.received_on is not None:
        dossier.received_on = given.received_on


def _submitted(dossier: Dossier, _rules: RuleSet, given: EventInput, _from: str) -> None:
    """Freeze the rule set on the round and start the first-level time limit."""
    rules = get_rule_set(dossier.rule_set)
    dossier.rules_snapshot = rules.data
    dossier.review_unit = review_unit_for(dossier, rules)
    dossier.received_on = given.today
    evaluation = current_round(dossier)
    evaluation.submitted_on = given.today
    evaluation.rule_set = rules.code


def _returned(dossier: Dossier, rules: RuleSet, given: EventInput, from_state: str) -> None:
    dossier.returned_from = from_state
    _record_receipt(dossier, rules, given, from_state)


def _resubmitted(dossier: Dossier, _rules: RuleSet, _given: EventInput, _from: str) -> None:
    dossier.returned_from = None


def _forwarded(dossier: Dossier, rules: RuleSet, given: EventInput, from_state: str) -> None:
    dossier.rating_council_id = rating_council_for(dossier, rules).id
    _record_receipt(dossier, rules, given, from_state)


def _rating_closed(dossier: Dossier, rules: RuleSet, given: EventInput, _from: str) -> None:
    """Record the council's score and star; 3★ and 4★ are recognised at once."""
    evaluation = current_round(dossier)
    evaluation.council_score = council_score(evaluation)
    evaluation.star = rules.star_for(evaluation.council_score)
    evaluation.decision = dossier.state
    evaluation.closed_at = now()
    if dossier.state == "certified":
        issue_certificate(dossier, evaluation, star=evaluation.star, rules=rules,
                          recognised_by=rules.recognising_level(evaluation.star), issued_on=given.today)


def _recognised(dossier: Dossier, rules: RuleSet, given: EventInput, _from: str) -> None:
    """The national score gives 5★ at 90 or more; otherwise the province's best star stands."""
    evaluation = current_round(dossier)
    evaluation.national_score = given.score
    star = 5 if given.score >= rules.data["central_threshold"] else 4
    evaluation.star, evaluation.decision = star, "certified"
    issue_certificate(dossier, evaluation, star=star, rules=rules,
                      recognised_by=rules.recognising_level(star), issued_on=given.today)


def _revoked(dossier: Dossier, _rules: RuleSet, given: EventInput, _from: str) -> None:
    certificate = current_certificate(dossier)
    certificate.status, certificate.revoked_on, certificate.grounds = "revoked", given.today, given.grounds


def _expired(dossier: Dossier, _rules: RuleSet, _given: EventInput, _from: str) -> None:
    current_certificate(dossier).status = "expired"


def _round_cancelled(dossier: Dossier, _rules: RuleSet, _given: EventInput, _from: str) -> None:
    evaluation = current_round(dossier)
    evaluation.decision, evaluation.closed_at = "cancelled", now()


def _next_round(kind: str):
    def effect(dossier: Dossier, _rules: RuleSet, _given: EventInput, _from: str) -> None:
        open_round(dossier, kind)
    return effect


EFFECTS = {
    "submit": _submitted,
    "resubmit": _resubmitted,
    "return": _returned,
    "verify_vietgap": _record_receipt,
    "forward": _forwarded,
    "close_rating": _rating_closed,
    "recognise": _recognised,
    "revoke": _revoked,
    "expire": _expired,
    "request_upgrade": _next_round("upgrade"),
    "request_re_rating": _next_round("re_rating"),
    "reopen": _next_round("new"),
    "cancel_round": _round_cancelled,
}
