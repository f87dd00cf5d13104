"""Guards: what must hold before an event may move a dossier. Each returns what is missing."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from ..accounts.models import User
from ..documents.services import current_documents, current_vietgap, latest_checks, missing_documents
from ..registry.services import current_certificate, holds_valid_certificate
from ..reviews.services import counted_scores, current_round, open_batch_for, sitting_members, spread_flags
from ..rules.rulesets import RuleSet
from ..workflow import GuardFailed
from .models import Dossier
from .placement import council_at, unplaceable_levels


@dataclass(frozen=True)
class EventInput:
    """What the caller sent with an event, plus the day it counts as."""

    actor: User | None
    today: date
    comment: str = ""
    received_on: date | None = None
    grounds: str = ""
    score: Decimal | None = None
    batch_id: int | None = None
    decision: Any = None  # the RecognitionDecision a `decide` or a 5★ `recognise` comes with
    outcome: str | None = None  # a decision's line: recognise or not_recognise
    override: bool = False  # forward although documents are flagged "needs supplement" (the comment says why)


def filing(dossier: Dossier, rules: RuleSet, given: EventInput) -> list[str]:
    """A filing needs its documents, a map on which its levels exist, and for a re-rating the filing window."""
    missing = missing_documents(dossier, rules, given.today) + unplaceable_levels(dossier, rules, given.today)
    if dossier.state == "re_rating":
        missing += re_rating_window(dossier, rules, given)
    return missing


def resubmission(dossier: Dossier, rules: RuleSet, given: EventInput) -> list[str]:
    return missing_documents(dossier, rules, given.today)


def vietgap_checked(dossier: Dossier, rules: RuleSet, given: EventInput) -> list[str]:
    """VietGAP never blocks: a certificate valid that day is checked; without one the officer says so in a comment."""
    record = current_vietgap(dossier)
    has_valid = record is not None and record.valid_on(given.today)
    missing = [] if has_valid or given.comment.strip() else ["vietgap_comment"]
    return missing + [m for m in receipt_date(dossier, rules, given) if m not in missing]


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


SUPPLEMENT = "needs_supplement:"  # a missing item: "needs_supplement:<document kind>"


def flagged_documents(dossier: Dossier) -> list[str]:
    """The kinds whose newest version an officer's latest check marked "needs supplement"."""
    held = current_documents(dossier)
    checks = latest_checks(list(held.values()))
    return [kind for kind, document in held.items()
            if document.id in checks and checks[document.id].outcome == "needs_supplement"]


def supplements_settled(dossier: Dossier, given: EventInput) -> list[str]:
    """Flagged documents hold a forward back, unless the officer overrides with a reason (kept in the history)."""
    flagged = flagged_documents(dossier)
    if not flagged:
        return []
    if given.override:
        return [] if given.comment.strip() else ["override_reason"]
    return [SUPPLEMENT + kind for kind in flagged]


def forward_checks(dossier: Dossier, rules: RuleSet, given: EventInput) -> list[str]:
    """Flagged documents settled; the first level's own council must exist (district era); the province needs none."""
    missing = supplements_settled(dossier, given) + receipt_date(dossier, rules, given)
    if rules.first_level_has_council and council_at(dossier, rules.first_level, given.today) is None:
        missing.append("rating_council")
    return missing


def admission(dossier: Dossier, rules: RuleSet, given: EventInput) -> list[str]:
    """The provincial council must exist and, where the rule set has batches, an open batch must take the file."""
    missing = [] if council_at(dossier, "province", given.today) else ["rating_council"]
    if rules.has_batches and open_batch_for(dossier, given.batch_id, given.today) is None:
        missing.append("batch")
    return missing


def council_quorum(dossier: Dossier, rules: RuleSet, given: EventInput) -> list[str]:
    """The rule set's share of the sitting members has scored, the chair among them; flagged marks need a comment."""
    members = sitting_members(dossier.rating_council_id, dossier)
    return quorum_missing(members, counted_scores(current_round(dossier), members), rules, given)


def quorum_missing(members: list, scores: list, rules: RuleSet, given: EventInput) -> list[str]:
    """What closing the rating still needs, from the sitting members and their counted marks."""
    quorum = rules.quorum(len(members))
    missing = [] if len(scores) >= quorum else [f"council_scores ({len(scores)}/{quorum})"]
    chair_ids = {member.user_id for member in members if member.is_chair}
    if not any(score.member_id in chair_ids for score in scores):
        missing.append("chair_score")
    if spread_flags(scores, rules) and not given.comment.strip():
        missing.append("spread_comment")
    return missing


def national_result(_dossier: Dossier, rules: RuleSet, given: EventInput) -> list[str]:
    score = given.score
    if score is None or not score.is_finite() or not 0 <= score <= 100:
        return ["score"]
    central = rules.level("central")
    needs_decision = central is not None and rules.star_for(score) in central.recognises
    return ["decision"] if needs_decision and given.decision is None else []


def decision_line(_dossier: Dossier, _rules: RuleSet, given: EventInput) -> list[str]:
    return [] if given.decision is not None and given.outcome in ("recognise", "not_recognise") else ["decision"]


def revocation_grounds(_dossier: Dossier, _rules: RuleSet, given: EventInput) -> list[str]:
    return [] if given.grounds.strip() else ["grounds"]


def below_five_stars(dossier: Dossier, _rules: RuleSet, given: EventInput) -> list[str]:
    certificate = current_certificate(dossier)
    ok = certificate is not None and holds_valid_certificate(dossier, given.today) and certificate.star < 5
    return [] if ok else ["star_below_5"]


def valid_certificate(dossier: Dossier, _rules: RuleSet, given: EventInput) -> list[str]:
    return [] if holds_valid_certificate(dossier, given.today) else ["certificate"]


def re_rating_window(dossier: Dossier, rules: RuleSet, given: EventInput) -> list[str]:
    """Checked on the filing day (QĐ 26 Điều 7.6.a): 180 to 120 days before the last valid day."""
    certificate = current_certificate(dossier)
    if certificate is None:
        return ["certificate"]
    opens, closes = rules.re_rating_window(certificate.expires_on)
    return [] if opens <= given.today <= closes else ["re_rating_window"]


def certificate_expired(dossier: Dossier, _rules: RuleSet, given: EventInput) -> list[str]:
    """Expiry comes the day after the last valid day."""
    certificate = current_certificate(dossier)
    return [] if certificate and certificate.expires_on < given.today else ["expiry_date"]


GUARDS = {
    "submit": filing,
    "resubmit": resubmission,
    "verify_vietgap": vietgap_checked,
    "return": return_reasons,
    "forward": forward_checks,
    "admit": admission,
    "close_rating": council_quorum,
    "recognise": national_result,
    "decide": decision_line,
    "revoke": revocation_grounds,
    "request_upgrade": below_five_stars,
    "request_re_rating": valid_certificate,
    "expire": certificate_expired,
}


def what_is_missing(event: str, dossier: Dossier, rules: RuleSet, given: EventInput) -> list[str]:
    guard = GUARDS.get(event)
    return guard(dossier, rules, given) if guard else []


def re_rating_dates(dossier: Dossier, rules: RuleSet) -> tuple[date, date] | None:
    """The first and last day a re-rating of the current certificate may be filed on."""
    certificate = current_certificate(dossier)
    return rules.re_rating_window(certificate.expires_on) if certificate is not None else None


def refused(event: str, dossier: Dossier, rules: RuleSet, missing: list[str], message: str | None = None) -> GuardFailed:
    """The refusal of a failed guard; a re-rating out of its window says the days it may be filed on."""
    error = GuardFailed(message or refusal_sentence(event, missing), missing)
    window = re_rating_dates(dossier, rules) if "re_rating_window" in missing else None
    if window is not None:
        opens, closes = (day.isoformat() for day in window)
        error.details["re_rating_window"] = {"opens_on": opens, "closes_on": closes}
        error.message += f"; a re-rating may be filed from {opens} to {closes}"
        error.args = (error.message,)
    return error


def refusal_sentence(event: str, missing: list[str]) -> str:
    """The API's message for a failed guard: flagged documents by name, and the way round them."""
    flagged = [code.removeprefix(SUPPLEMENT) for code in missing if code.startswith(SUPPLEMENT)]
    sentence = f"'{event}' cannot be done yet: missing {', '.join(missing)}"
    if flagged:
        sentence += (f"; documents flagged 'needs supplement': {', '.join(flagged)} — return the dossier, or "
                     "forward with \"override\": true and a comment giving the reason")
    return sentence
