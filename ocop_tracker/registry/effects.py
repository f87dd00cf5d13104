"""What a transition does to the product's certificates: issued from a decision, revoked, expired."""
from __future__ import annotations

from ..dossiers.guards import EventInput
from ..dossiers.models import Dossier, TransitionRecord
from ..reviews.services import current_round
from ..rules.rulesets import RuleSet
from ..signals import transition_applied
from .models import Certificate
from .services import current_certificate, issue_certificate


def _held(dossier: Dossier) -> Certificate:
    certificate = current_certificate(dossier)
    if certificate is None:  # the workflow fires revoke and expire on certified dossiers only
        raise RuntimeError(f"dossier #{dossier.id} holds no certificate")
    return certificate


def follow_transition(_stage: str, *, dossier: Dossier, record: TransitionRecord, given: EventInput,
                      rules: RuleSet) -> None:
    """A round the event closed as certified gets its certificate from the decision; revoke and expire end one."""
    if record.event == "revoke":
        certificate = _held(dossier)
        certificate.status, certificate.revoked_on, certificate.grounds = "revoked", given.today, given.grounds
    elif record.event == "expire":
        _held(dossier).status = "expired"
    elif record.event in ("recognise", "decide") and current_round(dossier).decision == "certified":
        evaluation, decision = current_round(dossier), given.decision
        if evaluation.star is None:  # a round closes as certified with its star
            raise RuntimeError(f"round {evaluation.id} is certified without a star")
        issue_certificate(dossier, evaluation, star=evaluation.star, rules=rules, recognised_by=decision.level,
                          decision=decision)


def connect_signals() -> None:
    """Certificates are the first thing that follows a transition (see signals.TRANSITION_STAGES)."""
    transition_applied.connect(follow_transition, sender="certificates")
