"""Dossier documents (versioned, never overwritten) and the VietGAP certificate record."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..extensions import Model
from ..models_base import created_at_column
from ..rules.rulesets import DOCUMENT_KINDS


class Document(Model):
    """One uploaded version of one kind of document; stored under a generated name."""

    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("dossier_id", "kind", "version"),
        CheckConstraint(f"kind IN {DOCUMENT_KINDS}", name="kind"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    version: Mapped[int] = mapped_column(default=1)
    filename: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    issuer: Mapped[str | None] = mapped_column(String(200))
    valid_until: Mapped[date | None]
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = created_at_column()

    uploaded_by: Mapped[User | None] = relationship()


class VietGapCertificate(Model):
    """A VietGAP certificate recorded on a dossier; the newest record is the current one."""

    __tablename__ = "vietgap_certificates"
    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    certificate_no: Mapped[str] = mapped_column(String(80))
    issuer: Mapped[str] = mapped_column(String(200))
    issued_on: Mapped[date]
    valid_until: Mapped[date]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = created_at_column()

    def valid_on(self, day: date) -> bool:
        return self.issued_on <= day <= self.valid_until


CHECK_OUTCOMES = ("accepted", "needs_supplement")


class DocumentCheck(Model):
    """An officer's verdict on one document version; the newest check of a version is the current one."""

    __tablename__ = "document_checks"
    __table_args__ = (CheckConstraint(f"outcome IN {CHECK_OUTCOMES}", name="outcome"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    checked_at: Mapped[datetime] = created_at_column()

    document: Mapped[Document] = relationship()
    checked_by: Mapped[User | None] = relationship()
