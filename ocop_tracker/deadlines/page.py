"""What the dossier page shows about time: every deadline, the extension forms the user may use, VietGAP's warning."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..accounts.models import User
from ..dossiers.models import Dossier
from .forms import ExtendDeadlineForm, extend_form
from .models import DeadlineExtension
from .permissions import can_extend_deadline
from .queries import stored_deadlines, vietgap_deadline, vietgap_ends_early
from .status import DeadlineView, view_of


@dataclass
class DeadlinePanel:
    """The deadlines partial's context."""

    deadlines: list[DeadlineView]
    forms: dict[int, ExtendDeadlineForm] = field(default_factory=dict)  # deadline id → its extension form
    extensions: dict[int, list[DeadlineExtension]] = field(default_factory=dict)
    vietgap_ends_on: date | None = None
    re_rating_due_on: date | None = None  # set when the VietGAP certificate ends before it


def deadline_panel(dossier: Dossier, user: User, today: date) -> DeadlinePanel:
    rows = stored_deadlines(dossier)
    record, vietgap = vietgap_deadline(dossier, today)
    views = [view_of(row, today) for row in rows] + ([vietgap] if vietgap else [])
    early = vietgap_ends_early(dossier, views, record)
    return DeadlinePanel(
        views,
        forms={row.id: extend_form(row.id) for row in rows
               if row.met_on is None and can_extend_deadline(user, dossier, row)},
        extensions={row.id: list(row.extensions) for row in rows if row.extensions},
        vietgap_ends_on=record.valid_until if early else None, re_rating_due_on=early)
