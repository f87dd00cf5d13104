"""Recognition decisions: one signed decision of a level lists many dossiers, each recognised or not."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import AdministrativeUnit, User
from ..extensions import Model
from ..models_base import created_at_column

DECISION_LEVELS = ("district", "province", "central")
DECISION_OUTCOMES = ("recognise", "not_recognise")


class RecognitionDecision(Model):
    """A Quyết định công nhận: its number is unique within the issuing unit."""

    __tablename__ = "recognition_decisions"
    __table_args__ = (
        UniqueConstraint("unit_id", "number"),
        CheckConstraint(f"level IN {DECISION_LEVELS}", name="level"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(60))
    signed_on: Mapped[date] = mapped_column(index=True)
    signer: Mapped[str] = mapped_column(String(120))
    signer_title: Mapped[str] = mapped_column(String(160), default="")
    level: Mapped[str] = mapped_column(String(20))
    # The unit whose chairman signed (a province, a district), or the province recording the Ministry's decision.
    unit_id: Mapped[int] = mapped_column(ForeignKey("administrative_units.id"), index=True)
    body: Mapped[str] = mapped_column(String(200))  # "UBND tỉnh Phú Thọ", as the decision names its issuer
    file_name: Mapped[str | None] = mapped_column(String(255))
    file_stored_name: Mapped[str | None] = mapped_column(String(80), unique=True)
    file_size: Mapped[int | None]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = created_at_column()

    unit: Mapped[AdministrativeUnit] = relationship()
    recorded_by: Mapped[User | None] = relationship()
    items: Mapped[list[DecisionItem]] = relationship(back_populates="decision", order_by="DecisionItem.id")


class DecisionItem(Model):
    """One dossier's line in a decision: recognised with its star, or not recognised."""

    __tablename__ = "decision_items"
    __table_args__ = (
        UniqueConstraint("decision_id", "dossier_id"),
        CheckConstraint(f"outcome IN {DECISION_OUTCOMES}", name="outcome"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("recognition_decisions.id"), index=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("evaluation_rounds.id"), unique=True)
    outcome: Mapped[str] = mapped_column(String(20))
    star: Mapped[int | None]

    decision: Mapped[RecognitionDecision] = relationship(back_populates="items")
    dossier = relationship("Dossier")
