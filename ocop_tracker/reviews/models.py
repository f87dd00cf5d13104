"""Evaluation councils, evaluation rounds and the members' scores."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import DateTime, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import AdministrativeUnit, User
from ..extensions import Model
from ..models_base import created_at_column


class Council(Model):
    """An evaluation council of a unit (a district's before July 2025, a province's)."""

    __tablename__ = "councils"
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("administrative_units.id"), unique=True)
    name: Mapped[str] = mapped_column(String(200))

    unit: Mapped[AdministrativeUnit] = relationship()
    members: Mapped[list[CouncilMember]] = relationship(back_populates="council")


class CouncilMember(Model):
    """A user's seat on a council; the chair closes ratings."""

    __tablename__ = "council_members"
    __table_args__ = (UniqueConstraint("council_id", "user_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    is_chair: Mapped[bool] = mapped_column(default=False)

    council: Mapped[Council] = relationship(back_populates="members")
    user: Mapped[User] = relationship()


class EvaluationRound(Model):
    """One pass of a dossier through evaluation: first rating, upgrade or re-rating."""

    __tablename__ = "evaluation_rounds"
    __table_args__ = (UniqueConstraint("dossier_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    number: Mapped[int]
    kind: Mapped[str] = mapped_column(String(10))
    rule_set: Mapped[str | None] = mapped_column(String(40))
    opened_at: Mapped[datetime] = created_at_column()
    submitted_on: Mapped[date | None]
    council_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    star: Mapped[int | None]
    national_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    # The producer's own marks on parts A/B/C before submitting (a guide, not part of the rating).
    self_part_a: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    self_part_b: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    self_part_c: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    decision: Mapped[str | None] = mapped_column(String(20))
    # The producer's declaration that the dossier is true and complete, recorded with the filing.
    declared_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    declared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    # The level whose step the round is at (district, province, central), and the batch it was admitted to.
    level: Mapped[str | None] = mapped_column(String(20))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("evaluation_batches.id"), index=True)

    scores: Mapped[list[Score]] = relationship(back_populates="round", order_by="Score.id")
    batch: Mapped[EvaluationBatch | None] = relationship()


class EvaluationBatch(Model):
    """An evaluation batch (đợt đánh giá) of a province: files admitted by the cut-off are decided by the due date."""

    __tablename__ = "evaluation_batches"
    __table_args__ = (UniqueConstraint("unit_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("administrative_units.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    filing_cutoff: Mapped[date]
    decision_due: Mapped[date]
    closed_on: Mapped[date | None]
    created_at: Mapped[datetime] = created_at_column()

    unit: Mapped[AdministrativeUnit] = relationship()

    def admits_on(self, day: date) -> bool:
        return self.closed_on is None and day <= self.filing_cutoff


class Score(Model):
    """One council member's marks on parts A, B and C for a round."""

    __tablename__ = "scores"
    __table_args__ = (UniqueConstraint("round_id", "council_id", "member_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("evaluation_rounds.id"))
    member_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # The council the member sat on: a district's and then the province's council may both score one round.
    council_id: Mapped[int | None] = mapped_column(ForeignKey("councils.id"), index=True)
    part_a: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    part_b: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    part_c: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    submitted_at: Mapped[datetime] = created_at_column()
    # The member's finding that one of the sheet's rejection conditions applies; shown to the chair.
    rejection: Mapped[str | None] = mapped_column(String(2000))

    round: Mapped[EvaluationRound] = relationship(back_populates="scores")
    member: Mapped[User] = relationship()

    @property
    def total(self) -> Decimal:
        return self.part_a + self.part_b + self.part_c


class SheetMark(Model):
    """One option ticked on the official sheet: a council member's (score_id) or the producer's (score_id NULL)."""

    __tablename__ = "sheet_marks"
    __table_args__ = (UniqueConstraint("round_id", "score_id", "criterion_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("evaluation_rounds.id"), index=True)
    score_id: Mapped[int | None] = mapped_column(ForeignKey("scores.id"), index=True)
    criterion_id: Mapped[str] = mapped_column(String(20))
    option_id: Mapped[str] = mapped_column(String(30))
    note: Mapped[str | None] = mapped_column(String(2000))
