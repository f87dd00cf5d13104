"""A dossier's next deadline, read from its rule set and the working-day calendar."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from ..registry.services import current_certificate
from ..rules.calendar import CalendarYearMissing, WorkingCalendar, load_calendar
from .models import Dossier
from .placement import dossier_rules

FIRST_LEVEL_STATES = ("vietgap", "district_review")
DECISION_STATES = ("star_rating", "central_review")
DUE_SOON_WORKING_DAYS = 3
# A certificate is "due soon" within the month the issuer must warn the producer (QĐ 148: ≥ 30 days).
CERTIFICATE_DUE_SOON_DAYS = 30


@dataclass(frozen=True)
class Deadline:
    """One legal time limit: its kind, its due date (None if the calendar lacks the year) and status."""

    kind: str
    due_on: date | None
    status: str  # on_time, due_soon, overdue, met, unknown


@cache
def working_calendar() -> WorkingCalendar:
    return load_calendar()


def _status(due_on: date | None, today: date, soon_days: int | None = None) -> str:
    if due_on is None:
        return "unknown"
    if due_on < today:
        return "overdue"
    if soon_days is not None:
        return "due_soon" if due_on <= today + timedelta(days=soon_days) else "on_time"
    try:
        soon = working_calendar().add_working_days(today, DUE_SOON_WORKING_DAYS)
    except CalendarYearMissing:
        soon = today + timedelta(days=DUE_SOON_WORKING_DAYS)
    return "due_soon" if due_on <= soon else "on_time"


def first_level_due(received_on: date, working_days: int) -> date | None:
    """The last day of the first-level check: N working days counted from the day after receipt."""
    try:
        return working_calendar().add_working_days(received_on, working_days)
    except CalendarYearMissing:
        return None


_UNSET = object()


def next_deadline(dossier: Dossier, today: date, certificate=_UNSET) -> Deadline | None:
    """What the dossier must meet next: the first-level check, the council's decision, or its certificate.

    List pages pass the certificate they loaded in one query for the whole page.
    """
    rules = dossier_rules(dossier)
    if dossier.state in FIRST_LEVEL_STATES and dossier.received_on:
        due = first_level_due(dossier.received_on, rules.data["first_level_working_days"])
        return Deadline("first_level_check", due, _status(due, today))
    if dossier.state in DECISION_STATES and dossier.received_on:
        due = dossier.received_on + timedelta(days=rules.data["decision_days"])
        return Deadline("decision", due, _status(due, today))
    if dossier.state == "certified":
        if certificate is _UNSET:
            certificate = current_certificate(dossier)
        if certificate is None:
            return None
        opens, closes = rules.re_rating_window(certificate.expires_on)
        if today <= closes:
            return Deadline("re_rating_filing", closes, _status(closes, today))
        return Deadline("certificate_expiry", certificate.expires_on,
                        _status(certificate.expires_on, today, CERTIFICATE_DUE_SOON_DAYS))
    return None
