"""The activity log: every change a person makes besides workflow events (those are the transition history)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..extensions import Model
from ..models_base import utcnow


class ActivityRecord(Model):
    """One change: who did what to which object (of which dossier, if any), when, with its details."""

    __tablename__ = "activity_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    # as created_at_column, indexed: the admin log reads newest first
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, nullable=False, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_name: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40), index=True)  # "dossier.assign", "documents.review", …
    dossier_id: Mapped[int | None] = mapped_column(ForeignKey("dossiers.id"), index=True)
    object_type: Mapped[str] = mapped_column(String(30), default="")
    object_id: Mapped[int | None]
    data: Mapped[dict] = mapped_column(JSON, default=dict)

    actor: Mapped[User | None] = relationship()
