"""The outbox: mails queued in the same transaction as the change they report, and the administrator's retries."""
from __future__ import annotations

import uuid

from sqlalchemy import Select, bindparam

from ..accounts.models import User
from ..accounts.services import require_admin
from ..activity.log_lines import log_change
from ..dossiers.placement import acting_unit, province_of
from ..extensions import db
from ..registry.services import current_certificate
from ..reviews.models import CouncilMember
from ..reviews.services import current_round
from ..signals import transition_applied
from ..text_rules import header_value
from .mails import event_context, render_mail
from .models import SUBJECT_LENGTH, OutboxMail


def mail_row(recipient: User, *, kind: str, subject: str, text: str, html: str = "", dossier=None,
             dedupe_key: str | None = None) -> dict | None:
    """The outbox row of one pending mail (for a bulk insert, or an OutboxMail); None when the recipient has no
    address."""
    if not recipient.email:
        return None
    # Header-safe and within the column: a product name with a line break, or a long one, can never stop the mail.
    return {"message_id": f"<{uuid.uuid4().hex}@ocop-tracker>", "kind": kind, "recipient_id": recipient.id,
            "to_address": header_value(recipient.email), "subject": header_value(subject, limit=SUBJECT_LENGTH),
            "body_text": text, "body_html": html, "dossier_id": dossier.id if dossier is not None else None,
            "dedupe_key": dedupe_key}


def queue_mail(recipient: User, *, kind: str, subject: str, text: str, html: str = "", dossier=None,
               dedupe_key: str | None = None, new_key: bool = False) -> OutboxMail | None:
    """Add one pending mail in the caller's transaction; None when the recipient has no address or the
    dedupe key was queued before (reminders and summaries are sent once per key). `new_key`: the caller has
    just read that the key is not queued (a batch's keys in one statement), so it is not asked again."""
    if not recipient.email:
        return None
    if dedupe_key and not new_key and db.session.scalar(db.select(OutboxMail.id).filter_by(dedupe_key=dedupe_key)) is not None:
        return None
    row = mail_row(recipient, kind=kind, subject=subject, text=text, html=html, dossier=dossier,
                   dedupe_key=dedupe_key)
    assert row is not None  # the address was checked above
    mail = OutboxMail(**row)
    db.session.add(mail)
    return mail


def _who_read_mails(statement: Select) -> Select:
    """Active people with an address who want a mail per event (the others read it in their summary)."""
    return statement.where(User.active.is_(True), User.email.is_not(None),
                           User.mail_preference == "immediate").order_by(User.id)


# Each audience's readers, built once with the dossier's facts bound per event: a statement built anew for every
# event cost more CPU (building it, its cache key) than running it.
PRODUCERS = _who_read_mails(db.select(User).where(User.role == "producer",
                                                  User.organisation_id == bindparam("organisation_id")))
OFFICERS = _who_read_mails(db.select(User).where(User.role == "officer", User.unit_id == bindparam("unit_id")))
UNITLESS_OFFICERS = _who_read_mails(db.select(User).where(User.role == "officer", User.unit_id.is_(None)))
COUNCIL_MEMBERS = _who_read_mails(db.select(User).join(CouncilMember, CouncilMember.user_id == User.id)
                                  .where(CouncilMember.council_id == bindparam("council_id")))
Audience = tuple[Select, dict] | None  # None: nobody to tell


def _producers(dossier) -> Audience:
    return PRODUCERS, {"organisation_id": dossier.product.organisation_id}


def _province_officers(dossier) -> Audience:
    province = province_of(dossier)
    if province is None:  # a unit placed under no province: no provincial officer to tell
        return None
    return OFFICERS, {"unit_id": province.id}


def _officers(dossier) -> Audience:
    """The officers whose move it now is: the first level's, or the province's once the file is up there."""
    if dossier.state in ("provincial_review", "central_review") or (
            dossier.state == "awaiting_decision" and dossier.level != "district"):
        return _province_officers(dossier)
    unit = acting_unit(dossier.review_unit)
    return (OFFICERS, {"unit_id": unit.id}) if unit else (UNITLESS_OFFICERS, {})


def _council_members(dossier) -> Audience:
    return (COUNCIL_MEMBERS, {"council_id": dossier.rating_council_id}) if dossier.rating_council_id else None


# Who hears of an event, and which mail (templates/emails/event_<template>.*) each audience reads;
# "officers" and "producers" read the template their state calls for (OFFICER_TEMPLATES, PRODUCER_TEMPLATES).
AUDIENCES = {
    "submit": (("submitted", _officers), ("received", _producers)),
    "resubmit": (("officers", _officers), ("received", _producers)),
    "return": (("returned", _producers),),
    "forward": (("officers", _officers), ("producers", _producers), ("awaiting_score", _council_members)),
    "admit": (("forwarded", _producers), ("awaiting_score", _council_members)),
    "close_rating": (("officers", _officers), ("producers", _producers)),
    "recognise": (("officers", _officers), ("producers", _producers)),
    "decide": (("producers", _producers),),
    "revoke": (("revoked", _producers),),
    "expire": (("expired", _producers),),
}
OFFICER_TEMPLATES = {"provincial_review": "to_review", "awaiting_decision": "to_decide",
                     "district_review": "submitted", "vietgap": "submitted", "central_review": "rating_closed"}
PRODUCER_TEMPLATES = {"provincial_review": "sent_up", "star_rating": "forwarded", "certified": "certified",
                      "not_recognised": "not_recognised"}


def _template(template: str, dossier, record) -> str | None:
    """The mail an audience reads after this event; None when it has nothing to read."""
    if template == "officers":
        return OFFICER_TEMPLATES.get(record.to_state)
    if template == "producers":
        held = current_certificate(dossier) if record.to_state == "certified" else None
        if held is not None and held.round_id != current_round(dossier).id:
            return "rating_closed"  # the round ended keeping the certificate already held
        return PRODUCER_TEMPLATES.get(record.to_state, "rating_closed")
    return template


def _readers(audience: Audience) -> list[User]:
    return list(db.session.scalars(*audience)) if audience else []


def follow_transition(_stage: str, *, dossier, record, **_given) -> None:
    """Mails are the last thing that follows a transition: they quote its certificate and deadlines."""
    queue_event_mails(dossier, record)


def connect_signals() -> None:
    transition_applied.connect(follow_transition, sender="mails")


def event_mails(dossier, record) -> list[tuple[str, list[User]]]:
    """Which mail (template) each person the event concerns reads: everyone once, in AUDIENCES' order."""
    planned: list[tuple[str, list[User]]] = []
    seen: set[int] = set()
    for template, audience in AUDIENCES.get(record.event, ()):
        mail_template = _template(template, dossier, record)
        if mail_template is None:
            continue
        people = [person for person in _readers(audience(dossier)) if person.id not in seen]
        seen.update(person.id for person in people)
        if people:
            planned.append((mail_template, people))
    return planned


def queue_event_mails(dossier, record) -> list[OutboxMail]:
    """Queue the event's mail for each person it concerns, each in their own language (apply_event's transaction)."""
    mails = []
    for template, people in event_mails(dossier, record):
        context = event_context(template, dossier, record)
        for person in people:
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
    log_change("mail.retry by %s: mail=%s", actor.username, mail.id)
    return True


def retry_failed_mails(*, actor: User) -> int:
    """Every failed mail back to the queue; how many."""
    require_admin(actor)
    failed = db.session.scalars(db.select(OutboxMail).filter_by(status="failed")).all()
    return sum(retry_mail(mail, actor=actor) for mail in failed)
