"""Column helpers shared by every domain's models."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.orm import Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


def created_at_column() -> Mapped[datetime]:
    """A timezone-aware creation timestamp."""
    return mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)
