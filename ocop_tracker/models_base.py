"""Column helpers shared by every domain's models."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, Index, Text, inspect
from sqlalchemy.orm import Mapped, mapped_column


def utcnow() -> datetime:
    return datetime.now(UTC)


def created_at_column() -> Mapped[datetime]:
    """A timezone-aware creation timestamp."""
    return mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)


# A name folded by text_rules.folded, stored beside it for the registry search. On PostgreSQL it sorts byte by
# byte ("C"), as Python compares strings and SQLite's BINARY does, so both databases list results in one order.
FOLDED_TEXT = Text().with_variant(Text(collation="C"), "postgresql")


def trigram_index(name: str, column: str) -> Index:
    """A pg_trgm index for `LIKE '%…%'` on PostgreSQL; SQLite has no such index and gets none."""
    return Index(name, column, postgresql_using="gin", postgresql_ops={column: "gin_trgm_ops"}).ddl_if(
        dialect="postgresql")


def changed_in_flush(instance: object, *names: str) -> bool:
    """Whether a persistent object has unflushed changes to any of these attributes (for the flush listeners that
    keep copied columns right)."""
    state = inspect(instance)
    return state.persistent and any(state.attrs[name].history.has_changes() for name in names)
