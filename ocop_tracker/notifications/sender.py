"""The sender: claims due mails so that two senders never send the same one, sends them, records every try."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from threading import Event
from typing import cast

from flask import current_app
from sqlalchemy import CursorResult, and_, or_, update

from ..extensions import db
from ..models_base import utcnow
from ..text_rules import header_value
from .models import MailAttempt, OutboxMail
from .transport import build_message, open_transport


@dataclass
class SendReport:
    """What one batch did, for the command's output."""

    claimed: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    transport: str = ""

    def add(self, status: str) -> None:
        field = {"sent": "sent", "pending": "retrying", "failed": "failed"}[status]
        setattr(self, field, getattr(self, field) + 1)


def backoff(attempts: int) -> timedelta:
    """The wait after the n-th failed try: 1, 5, 15, 60 minutes …, the last step repeating."""
    steps = current_app.config["MAIL_BACKOFF_MINUTES"]
    return timedelta(minutes=steps[min(attempts, len(steps)) - 1])


def _due(now: datetime):
    """Pending mails whose time has come, and mails a crashed sender claimed longer ago than the lease."""
    lease = timedelta(seconds=current_app.config["MAIL_CLAIM_LEASE_SECONDS"])
    waiting = and_(OutboxMail.status == "pending",
                   or_(OutboxMail.next_attempt_at.is_(None), OutboxMail.next_attempt_at <= now))
    abandoned = and_(OutboxMail.status == "sending", OutboxMail.claimed_at < now - lease)
    return or_(waiting, abandoned)


def claim_batch(token: str, *, batch: int, now: datetime) -> list[OutboxMail]:
    """One transaction marks up to `batch` due mails with our token; they come back detached, read by that token."""
    chosen = db.select(OutboxMail.id).where(_due(now)).order_by(OutboxMail.id).limit(batch)
    if db.engine.dialect.name == "postgresql":
        chosen = chosen.with_for_update(skip_locked=True)  # a concurrent sender passes over the rows we hold
    # On SQLite the transaction began with BEGIN IMMEDIATE (database.py): claims run one after the other.
    ids = db.session.scalars(chosen).all()
    if ids:
        db.session.execute(update(OutboxMail).where(OutboxMail.id.in_(ids), _due(now))
                           .values(status="sending", claim_token=token, claimed_at=now)
                           .execution_options(synchronize_session=False))
    mails = db.session.scalars(db.select(OutboxMail).filter_by(claim_token=token, status="sending")
                               .order_by(OutboxMail.id).execution_options(populate_existing=True)).all()
    for mail in mails:
        db.session.expunge(mail)  # keeps its loaded values: no database read (nor SQLite lock) while sending
    db.session.commit()
    return list(mails)


def _still_ours(mail_id: int, token: str, now: datetime) -> bool:
    """Renew the claim just before sending; a mail taken back after our lease ran out is skipped."""
    renewed = db.session.execute(update(OutboxMail).where(OutboxMail.id == mail_id, OutboxMail.claim_token == token,
                                                          OutboxMail.status == "sending")
                                 .values(claimed_at=now).execution_options(synchronize_session=False))
    db.session.commit()
    return cast(CursorResult, renewed).rowcount == 1  # an UPDATE's result is a CursorResult


def _deliver(transport, mail: OutboxMail) -> str | None:
    """None when the server took the mail, else what went wrong."""
    try:
        transport.send(build_message(mail, current_app.config["MAIL_FROM"]), header_value(mail.to_address))
    except Exception as exc:  # noqa: BLE001  any failure is recorded and retried; one bad mail must not stop the rest
        return f"{type(exc).__name__}: {exc}"[:2000]
    return None


# Mails whose body is a secret (a single-use link): once delivered, the outbox keeps no copy of it.
SECRET_KINDS = frozenset({"account.password_reset"})
REDACTED = "(đã gửi; nội dung chứa liên kết dùng một lần nên không lưu lại)"


def _record(mail_id: int, error: str | None, now: datetime) -> str:
    """Write the attempt and the mail's new status, committed at once: a crash loses at most this one record."""
    mail = db.session.get(OutboxMail, mail_id, populate_existing=True)
    assert mail is not None  # nothing deletes outbox rows, and _still_ours has just renewed our claim on it
    mail.attempts += 1
    db.session.add(MailAttempt(mail_id=mail.id, at=now, succeeded=error is None, error=error))
    mail.claim_token = mail.claimed_at = None
    if error is None:
        mail.status, mail.sent_at, mail.last_error = "sent", now, None
        if mail.kind in SECRET_KINDS:
            mail.body_text, mail.body_html = REDACTED, ""
    elif mail.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        mail.status, mail.last_error = "failed", error
    else:
        mail.status, mail.last_error, mail.next_attempt_at = "pending", error, now + backoff(mail.attempts)
    db.session.commit()
    return mail.status


def _release(ids: list[int], token: str) -> None:
    """Give back the claims we did not get to (asked to stop), so they need not wait out the lease."""
    db.session.execute(update(OutboxMail).where(OutboxMail.id.in_(ids), OutboxMail.claim_token == token,
                                                OutboxMail.status == "sending")
                       .values(status="pending", claim_token=None, claimed_at=None)
                       .execution_options(synchronize_session=False))
    db.session.commit()


def send_batch(*, batch: int = 50, now: datetime | None = None, stop: Event | None = None) -> SendReport:
    """Claim and send one batch; `now` pins the clock (tests), `stop` ends it between two mails."""
    clock = (lambda: now.astimezone(UTC)) if now else utcnow
    transport = open_transport(current_app)  # a bad setting fails here, before anything is claimed
    token = uuid.uuid4().hex
    mails = claim_batch(token, batch=batch, now=clock())
    report = SendReport(claimed=len(mails), transport=transport.describe())
    try:
        for index, mail in enumerate(mails):
            if stop is not None and stop.is_set():
                _release([m.id for m in mails[index:]], token)
                break
            if _still_ours(mail.id, token, clock()):
                report.add(_record(mail.id, _deliver(transport, mail), clock()))
    finally:
        transport.close()
    return report
