"""Guards: what must hold before an event may move a dossier. Each returns what is missing."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ..accounts.models import User
from ..documents.services import current_vietgap, missing_documents
from ..registry.services import current_certificate
from ..reviews.services import council_score, current_round
from ..rules.rulesets import RuleSet
from .models import Dossier
from .placement import rating_council_for


@dataclass(frozen=True)
class EventInput:
    """What the caller sent with an event, plus the day it counts as."""

    actor: User | None
    today: date
    comment: str = ""
    received_on: date | None = None
    grounds: str = ""
    score: Decimal | None = None


def required_documents(dossier: Dossier, rules: RuleSet, given: EventInput) -> list[str]:
    return missing_documents(dossier, rules, given.today)


def vietgap_certificate(dossier: Dossier, _rules: RuleSet, given: EventInput) -> list[str]:
    record = current_vietgap(dossier)
    return [] if record and record.valid_on(given.today) else ["vietgap_certificate"]


def receipt_date(dossier: Dossier, _rules: RuleSet, given: EventInput) -> list[str]:
    """A recorded paper receipt must lie between submission and today, with a reason."""
    if given.received_on is None:
        return []
    submitted_on = current_round(dossier).submitted_on
    if given.received_on > given.today or (submitted_on and given.received_on < submitted_on):
        return ["received_on"]
    return ["comment"] if given.received_on != given.today and not given.comment.strip() else []


def return_reasons(dossier: Dossier, rules: RuleSet, given: EventInput) -> list[str]:
    missing = [] if given.comment.strip() else ["comment"]
    return missing + [m for m in receipt_date(dossier, rules, given) if m not in missing]


def rating_council(dossier: Dossier, rules: RuleSet, given: EventInput) -> list[str]:
    return [] if rating_council_for(dossier, rules) else ["rating_council"]


def forward_checks(dossier: Dossier, rules: RuleSet, given: EventInput) -> list[str]:
    return receipt_date(dossier, rules, given) + rating_council(dossier, rules, given)


def council_quorum(dossier: Dossier, rules: RuleSet, _given: EventInput) -> list[str]:
    scored = len(current_round(dossier).scores)
    return [] if scored >= rules.quorum else [f"council_scores ({scored}/{rules.quorum})"]


def national_score(_dossier: Dossier, _rules: RuleSet, given: EventInput) -> list[str]:
    ok = given.score is not None and given.score.is_finite() and 0 <= given.score <= 100
    return [] if ok else ["score"]


def revocation_grounds(_dossier: Dossier, _rules: RuleSet, given: EventInput) -> list[str]:
    return [] if given.grounds.strip() else ["grounds"]


def below_five_stars(dossier: Dossier, _rules: RuleSet, _given: EventInput) -> list[str]:
    certificate = current_certificate(dossier)
    return [] if certificate and certificate.star < 5 else ["star_below_5"]


def re_rating_window(dossier: Dossier, rules: RuleSet, given: EventInput) -> list[str]:
    certificate = current_certificate(dossier)
    if certificate is None:
        return ["certificate"]
    opens, closes = rules.re_rating_window(certificate.expires_on)
    return [] if opens <= given.today <= closes else ["re_rating_window"]


def certificate_expired(dossier: Dossier, _rules: RuleSet, given: EventInput) -> list[str]:
    certificate = current_certificate(dossier)
    return [] if certificate and certificate.expires_on <= given.today else ["expiry_date"]


GUARDS = {
    "submit": required_documents,
    "resubmit": required_documents,
    "verify_vietgap": lambda d, r, g: vietgap_certificate(d, r, g) + receipt_date(d, r, g),
    "return": return_reasons,
    "forward": forward_checks,
    "close_rating": council_quorum,
    "recognise": national_score,
    "revoke": revocation_grounds,
    "request_upgrade": below_five_stars,
    "request_re_rating": re_rating_window,
    "expire": certificate_expired,
}


def what_is_missing(event: str, dossier: Dossier, rules: RuleSet, given: EventInput) -> list[str]:
    guard = GUARDS.get(event)
    return guard(dossier, rules, given) if guard else []


def rating_outcome(dossier: Dossier, rules: RuleSet) -> str | None:
    """Where close_rating would lead, from the council's mean score."""
    score = council_score(current_round(dossier))
    return rules.rating_outcome(score) if score is not None else None
