"""Outbox rows for notifying events, written in the same transaction as the change."""
from __future__ import annotations

import uuid

from ..accounts.models import User
from ..extensions import db
from ..reviews.models import CouncilMember
from .models import OutboxMail

# Event → (Vietnamese, English) phrase for the subject line.
EVENT_PHRASES = {
    "submit": ("đã được nộp", "was submitted"),
    "resubmit": ("đã được nộp bổ sung", "was resubmitted"),
    "verify_vietgap": ("đã được xác nhận VietGAP", "had its VietGAP certificate verified"),
    "return": ("bị trả lại để bổ sung", "was returned for supplements"),
    "forward": ("đã được chuyển Hội đồng đánh giá", "was forwarded to the evaluation council"),
    "close_rating": ("đã có kết quả chấm điểm", "has its rating result"),
    "recognise": ("đã được công nhận", "was recognised"),
    "revoke": ("bị thu hồi chứng nhận", "had its certificate revoked"),
    "expire": ("đã hết hạn chứng nhận", "has an expired certificate"),
}


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


def _recipients(dossier, event: str) -> list[User]:
    """The people an event concerns: the unit's officers for arrivals, else the producer's members."""
    if event in ("submit", "resubmit"):
        statement = db.select(User).filter_by(role="officer", unit_id=dossier.review_unit_id, active=True)
    else:
        statement = db.select(User).filter_by(organisation_id=dossier.product.organisation_id, active=True)
    people = list(db.session.scalars(statement))
    if event == "forward":  # the council now has a dossier to score
        people += db.session.scalars(db.select(User).join(CouncilMember, CouncilMember.user_id == User.id)
                                     .where(CouncilMember.council_id == dossier.rating_council_id))
    return [person for person in people if person.email]


def _render(person: User, dossier, record) -> tuple[str, str]:
    vi, en = EVENT_PHRASES[record.event]
    product = dossier.product.name
    if person.locale == "en":
        subject = f"[OCOP] Dossier #{dossier.id} ({product}) {en}"
        body = f"Dossier #{dossier.id} — {product}\nState: {record.from_state} → {record.to_state}\n"
        return subject, body + (f"Comment: {record.comment}\n" if record.comment else "")
    subject = f"[OCOP] Hồ sơ #{dossier.id} ({product}) {vi}"
    body = f"Hồ sơ #{dossier.id} — {product}\nTrạng thái: {record.from_state} → {record.to_state}\n"
    return subject, body + (f"Ghi chú: {record.comment}\n" if record.comment else "")


def queue_event_mails(dossier, record) -> list[OutboxMail]:
    """Add one pending mail per recipient of a notifying event (nothing for the others)."""
    if record.event not in EVENT_PHRASES:
        return []
    mails = []
    for person in _recipients(dossier, record.event):
        subject, body = _render(person, dossier, record)
        mails.append(OutboxMail(message_id=f"<{uuid.uuid4().hex}@ocop-tracker>", kind=f"event.{record.event}",
                                recipient_id=person.id, to_address=person.email, subject=subject,
                                body_text=body, dossier_id=dossier.id))
    db.session.add_all(mails)
    return mails
