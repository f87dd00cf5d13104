"""A dossier's next deadline, read from its stored Deadline rows (opened and met by the workflow's events)."""
from __future__ import annotations

from datetime import date

from ..deadlines.queries import next_deadlines
from ..deadlines.status import DeadlineView
from .models import Dossier

Deadline = DeadlineView  # what list and dossier pages show: .kind, .due_on, .status


def next_deadline(dossier: Dossier, today: date) -> DeadlineView | None:
    """What the dossier must meet next: its earliest open deadline (one still without a due date first)."""
    return next_deadlines([dossier], today)[dossier.id]
