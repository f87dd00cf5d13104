"""Dossiers and their immutable transition history."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import AdministrativeUnit, User
from ..extensions import Model
from ..models_base import created_at_column, utcnow
from ..products.models import Product
from ..workflow import STATES

DOSSIER_TYPES = ("new", "upgrade", "re_rating")
# The columns the counts over many dossiers read besides state and receipt day (reports.queries, the queue's tabs).
FIGURE_COLUMNS = ["id", "product_id", "review_unit_id", "level", "round_number", "assignee_id"]


class Dossier(Model):
    """One product's OCOP dossier; every evaluation pass is a round inside it."""

    __tablename__ = "dossiers"
    __table_args__ = (
        CheckConstraint(f"state IN {STATES}", name="state"),
        CheckConstraint(f"dossier_type IN {DOSSIER_TYPES}", name="dossier_type"),
        Index("ix_dossiers_updated_at_id", "updated_at", "id"),  # the lists' order, newest first (read backwards)
        # The state filters, and on PostgreSQL the dashboard's counts and the queue's tabs over every dossier read
        # off this index alone (index-only scans, ~8 MB at 100,000 dossiers), never the 61 MB table.
        Index("ix_dossiers_state_received_on", "state", "received_on", postgresql_include=FIGURE_COLUMNS),
        # An officer's dossiers (review unit under theirs, not a draft): the list's count reads the unit's range of
        # this index alone, not the whole state index filtered by a hash of units (issue 13: 899 → 415 pages).
        Index("ix_dossiers_review_unit_id_state", "review_unit_id", "state"),
        # A commune's list, newest first, and what waits for its officers: that unit's range of this index alone,
        # read in the list's order and left after a page (issue 13: 19,235 pages for the busy commune's list).
        Index("ix_dossiers_review_unit_id_updated_at_id", "review_unit_id", "updated_at", "id",
              postgresql_include=["state", "level", "assignee_id"]),
        # What waits for a province (the queue's tabs, "awaiting me" listed newest first): the province's range of
        # this index alone, whatever the number of dossiers elsewhere (issue 13).
        Index("ix_dossiers_producer_province_id_state", "producer_province_id", "state",
              postgresql_include=["id", "review_unit_id", "level", "assignee_id", "updated_at"]),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), unique=True)
    state: Mapped[str] = mapped_column(String(20), default="draft")
    version: Mapped[int] = mapped_column(default=1)
    round_number: Mapped[int] = mapped_column(default=1)
    dossier_type: Mapped[str] = mapped_column(String(10), default="new")
    rule_set: Mapped[str] = mapped_column(String(40))
    # The rule set's data as it stood when this round was submitted: later edits cannot touch it.
    rules_snapshot: Mapped[dict | None] = mapped_column(JSON)
    review_unit_id: Mapped[int | None] = mapped_column(ForeignKey("administrative_units.id"))
    # The province the producer's unit lies in, kept by dossiers/producer_province.py whenever an organisation,
    # a product or the map moves: "in my province" is then one column, not a join per dossier (issue 13).
    producer_province_id: Mapped[int | None] = mapped_column(ForeignKey("administrative_units.id"))
    # The level whose step the dossier is at: the first level, then province or central.
    level: Mapped[str | None] = mapped_column(String(20))
    rating_council_id: Mapped[int | None] = mapped_column(ForeignKey("councils.id"), index=True)
    # The officer of the acting unit who handles the dossier now (work queue assignment).
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # Product, producer, dossier and certificate codes folded to lower case without diacritics, for search.
    search_text: Mapped[str] = mapped_column(String(600), default="", server_default="", index=True)
    received_on: Mapped[date | None]
    returned_from: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = created_at_column()
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    product: Mapped[Product] = relationship()
    review_unit: Mapped[AdministrativeUnit | None] = relationship(foreign_keys=[review_unit_id])
    assignee: Mapped[User | None] = relationship(foreign_keys=[assignee_id])
    history: Mapped[list[TransitionRecord]] = relationship(
        back_populates="dossier", order_by="TransitionRecord.id", cascade="save-update, merge")

    # UPDATE ... WHERE version = :seen — the optimistic lock against concurrent writers. Read once, when mapping;
    # not a ClassVar, which would clash with DeclarativeBase's own typing of it.
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012  see above

    @property
    def organisation(self):
        return self.product.organisation


class TransitionRecord(Model):
    """One fired event: who moved the dossier from where to where, when, and why."""

    __tablename__ = "transition_history"
    # The dashboard's funnel counts the dossiers that reached a state (in a period) on this index alone.
    __table_args__ = (Index("ix_transition_history_to_state_at_dossier_id", "to_state", "at", "dossier_id"),
                      # A period's arrivals (summaries): its few submits, not every visible dossier's history.
                      Index("ix_transition_history_event_at", "event", "at", postgresql_include=["dossier_id"]))
    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    round_number: Mapped[int]
    event: Mapped[str] = mapped_column(String(30))
    from_state: Mapped[str] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_name: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime] = created_at_column()
    comment: Mapped[str] = mapped_column(Text, default="")

    dossier: Mapped[Dossier] = relationship(back_populates="history")
    actor: Mapped[User | None] = relationship()


@event.listens_for(TransitionRecord, "before_update")
@event.listens_for(TransitionRecord, "before_delete")
def _history_is_immutable(_mapper, _connection, target: TransitionRecord) -> None:
    raise ValueError(f"transition history row {target.id} is immutable")


def dossier_code(dossier: Dossier) -> str:
    """The code a producer quotes for the dossier (on the receipt, in mails)."""
    return f"HS-{dossier.id}"
