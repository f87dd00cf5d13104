"""Legal time limits of a dossier: when each started, is due and was met, and every extension."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..extensions import Model
from ..models_base import created_at_column

DEADLINE_KINDS = ("first_level_check", "decision", "re_rating_filing", "certificate_expiry", "vietgap_expiry")


class Deadline(Model):
    """One time limit of one evaluation round; `due_on` is empty while the calendar lacks its year."""

    __tablename__ = "deadlines"
    # A dossier's deadlines by due day: the queue's "due soon" and "overdue" tests in one index range per dossier.
    # The open ones alone, with their kind: the tab counts' two tests per waiting file read that index only, not
    # each deadline's row (issue 13).
    __table_args__ = (CheckConstraint(f"kind IN {DEADLINE_KINDS}", name="kind"),
                      Index("ix_deadlines_dossier_id_due_on", "dossier_id", "due_on"),
                      Index("ix_deadlines_open_dossier_id_due_on", "dossier_id", "due_on", postgresql_include=["kind"],
                            postgresql_where=text("met_on IS NULL"), sqlite_where=text("met_on IS NULL")))
    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    round_number: Mapped[int]
    kind: Mapped[str] = mapped_column(String(30))
    starts_on: Mapped[date]
    due_on: Mapped[date | None] = mapped_column(index=True)
    met_on: Mapped[date | None]
    created_at: Mapped[datetime] = created_at_column()

    extensions: Mapped[list[DeadlineExtension]] = relationship(
        back_populates="deadline", order_by="DeadlineExtension.id")


class DeadlineExtension(Model):
    """A due date moved, with the reason the officer gave."""

    __tablename__ = "deadline_extensions"
    id: Mapped[int] = mapped_column(primary_key=True)
    deadline_id: Mapped[int] = mapped_column(ForeignKey("deadlines.id"), index=True)
    previous_due_on: Mapped[date | None]
    new_due_on: Mapped[date]
    reason: Mapped[str] = mapped_column(Text)
    extended_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = created_at_column()

    deadline: Mapped[Deadline] = relationship(back_populates="extensions")
    extended_by: Mapped[User | None] = relationship()
