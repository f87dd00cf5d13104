"""The working-day calendar as data an administrator edits: covered years and their special days."""
from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model

CALENDAR_DAY_KINDS = ("holiday", "working_day")


class CalendarYear(Model):
    """A year whose official schedule is known; deadlines never count through a year that is not here."""

    __tablename__ = "calendar_years"
    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    source: Mapped[str] = mapped_column(Text, default="")


class CalendarDay(Model):
    """A public holiday, or a compensatory working day (a Saturday worked instead of a bridge day)."""

    __tablename__ = "calendar_days"
    __table_args__ = (CheckConstraint(f"kind IN {CALENDAR_DAY_KINDS}", name="kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)
    year: Mapped[int] = mapped_column(ForeignKey("calendar_years.year"), index=True)
    kind: Mapped[str] = mapped_column(String(12))
    name_vi: Mapped[str] = mapped_column(String(200), default="")
    name_en: Mapped[str] = mapped_column(String(200), default="")
