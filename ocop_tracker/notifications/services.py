"""The outbox: mails queued in the same transaction as the change they report, and the administrator's retries."""
from __future__ import annotations

import uuid

from ..accounts.models import User
from ..accounts.services import require_admin
from ..extensions import db
from ..reviews.models import CouncilMember
from .mails import event_context, render_mail
from .models import OutboxMail


def queue_mail(recipient: User, *, kind: str, subject: str, text: str, html: str = "", dossier=None,
               dedupe_key: str | None = None) -> OutboxMail | None:
    """Add one pending mail in the caller's transaction; None when the recipient has no address or the
    dedupe key was queued before (reminders and summaries are sent once per key)."""
    if not recipient.email:
        return None
    if dedupe_key and db.session.scalar(db.select(OutboxMail.id).filter_by(dedupe_key=dedupe_key)) is not None:
        return None
    mail = OutboxMail(message_id=f"<{uuid.uuid4().hex}@ocop-tracker>", kind=kind, recipient_id=recipient.id,
                      to_address=recipient.email, subject=subject, body_text=text, body_html=html,
                      dossier_id=dossier.id if dossier is not None else None, dedupe_key=dedupe_key)
    db.session.add(mail)
    return mail


def _producers(dossier):
    return db.select(User).filter_by(role="producer", organisation_id=dossier.product.organisation_id)


def _officers(dossier):
    return db.select(User).filter_by(role="officer", unit_id=dossier.review_unit_id)


def _council_members(dossier):
    return (db.select(User).join(CouncilMember, CouncilMember.user_id == User.id)
            .where(CouncilMember.council_id == dossier.rating_council_id))


# Who hears of an event, and which mail (templates/emails/event_<template>.*) each audience reads.
AUDIENCES = {
    "submit": (("submitted", _officers), ("received", _producers)),
    "resubmit": (("submitted", _officers), ("received", _producers)),
    "return": (("returned", _producers),),
    "forward": (("forwarded", _producers), ("awaiting_score", _council_members)),
    "close_rating": (("rating_closed", _officers), ("outcome", _producers)),
    "recognise": (("certified", _producers),),
    "revoke": (("revoked", _producers),),
    "expire": (("expired", _producers),),
}
# The producer reads one mail about the rating: the certificate, the refusal, or the move to the national council.
OUTCOME_TEMPLATES = {"certified": "certified", "not_recognised": "not_recognised", "central_review": "rating_closed"}


def _readers(statement) -> list[User]:
    """Active people with an address who want a mail per event (the others read it in their summary)."""
    return list(db.session.scalars(statement.where(User.active.is_(True), User.email.is_not(None),
                                                   User.mail_preference == "immediate").order_by(User.id)))


def queue_event_mails(dossier, record) -> list[OutboxMail]:
    """Queue the event's mail for each person it concerns, each in their own language (apply_event's transaction)."""
    mails, seen = [], set()
    for template, audience in AUDIENCES.get(record.event, ()):
        template = OUTCOME_TEMPLATES[record.to_state] if template == "outcome" else template
        people = [person for person in _readers(audience(dossier)) if person.id not in seen]
        context = event_context(template, dossier, record) if people else None
        for person in people:
            seen.add(person.id)
            subject, text, html = render_mail(template, person, context)
            mail = queue_mail(person, kind=f"event.{record.event}", subject=subject, text=text, html=html,
                              dossier=dossier)
            mails += [mail] if mail else []
    return mails


def retry_mail(mail: OutboxMail, *, actor: User) -> bool:
    """An administrator sends a failed mail again (its attempts stay on record); False if it had not failed."""
    require_admin(actor)
    if mail.status != "failed":
        return False
    mail.status, mail.next_attempt_at, mail.claim_token, mail.claimed_at = "pending", None, None, None
    db.session.flush()
    return True


def retry_failed_mails(*, actor: User) -> int:
    """Every failed mail back to the queue; how many."""
    require_admin(actor)
    failed = db.session.scalars(db.select(OutboxMail).filter_by(status="failed")).all()
    return sum(retry_mail(mail, actor=actor) for mail in failed)
