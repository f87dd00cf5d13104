"""OCOP certificates: what the public registry shows."""
from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..extensions import Model

CERTIFICATE_STATUSES = ("valid", "superseded", "expired", "revoked")


class Certificate(Model):
    """A Giấy chứng nhận sản phẩm OCOP: star, validity (through `expires_on`, the last valid day), its decision."""

    __tablename__ = "certificates"
    __table_args__ = (
        CheckConstraint(f"status IN {CERTIFICATE_STATUSES}", name="status"),
        CheckConstraint("star BETWEEN 3 AND 5", name="star"),
        # The registry's count of valid certificates, the dashboard's stars and the expiring list's count read off
        # this index alone on PostgreSQL (index-only scans), not the table.
        Index("ix_certificates_status_expires_on_star", "status", "expires_on", "star",
              postgresql_include=["id", "issued_on", "dossier_id"]),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("evaluation_rounds.id"), unique=True)
    star: Mapped[int]
    issued_on: Mapped[date]
    expires_on: Mapped[date] = mapped_column(index=True)
    recognised_by: Mapped[str] = mapped_column(String(20))
    # Empty only for certificates issued before decisions were recorded (they ran from the rating's close).
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("recognition_decisions.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="valid")
    revoked_on: Mapped[date | None]
    grounds: Mapped[str | None] = mapped_column(Text)

    dossier = relationship("Dossier")
    decision = relationship("RecognitionDecision")

    @validates("code")
    def _upper_code(self, _key: str, code: str) -> str:
        # Stored upper-case, so a code typed in any case is found by equality on the unique index.
        return code.upper()


class ProductNumber(Model):
    """A product's number (STT) in the list a commune keeps for the product codes of QĐ 26/2026 Phụ lục II.

    Taken the first time the product is certified under those codes and kept by its later certificates; the
    unique pair (unit, number) is what stops two certificates issued at once from taking the same number."""

    __tablename__ = "product_numbers"
    __table_args__ = (
        UniqueConstraint("unit_id", "number"),
        UniqueConstraint("product_id", "unit_id"),
        CheckConstraint("number >= 1", name="number"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("administrative_units.id"))
    number: Mapped[int]
