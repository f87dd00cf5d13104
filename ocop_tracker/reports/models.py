"""The dashboard's figures as last computed, per scope and filters, shared by every app server (issue 13)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model


class DashboardSnapshot(Model):
    """One scope's figures (who sees what, the page's filters, the day) and when they were taken."""

    __tablename__ = "dashboard_snapshots"
    scope: Mapped[str] = mapped_column(String(200), primary_key=True)
    # indexed: a recompute deletes the snapshots nobody has read for a day (filters make many scopes)
    taken_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False, index=True)
    figures: Mapped[dict] = mapped_column(JSON, nullable=False)
