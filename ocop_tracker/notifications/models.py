"""The mail outbox, written in the same transaction as the change it reports."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model
from ..models_base import created_at_column

MAIL_STATUSES = ("pending", "sending", "sent", "failed")
SUBJECT_LENGTH = 255


class OutboxMail(Model):
    """One mail to one recipient, waiting for the sender process."""

    __tablename__ = "outbox_mails"
    __table_args__ = (CheckConstraint(f"status IN {MAIL_STATUSES}", name="status"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    to_address: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(SUBJECT_LENGTH))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Reminders and summaries name themselves (e.g. "summary:daily:2026-11-23:7"): queued once, never twice.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossiers.id"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    # A sender claims a batch under its token; a claim older than the lease is taken back after a crash.
    claim_token: Mapped[str | None] = mapped_column(String(40), index=True)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = created_at_column()
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class MailAttempt(Model):
    """One try to hand a mail to the server, with what went wrong."""

    __tablename__ = "mail_attempts"
    id: Mapped[int] = mapped_column(primary_key=True)
    mail_id: Mapped[int] = mapped_column(ForeignKey("outbox_mails.id"), index=True)
    at: Mapped[datetime] = created_at_column()
    succeeded: Mapped[bool]
    error: Mapped[str | None] = mapped_column(Text)
