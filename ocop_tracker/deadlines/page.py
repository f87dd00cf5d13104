"""What the dossier page shows about time: every deadline, the extension forms the user may use, VietGAP's warning."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from ..accounts.models import User
from ..clock import local_day
from ..dossiers.models import Dossier, TransitionRecord
from ..workflow import FIRST_LEVEL_CHECK
from .forms import ExtendDeadlineForm, extend_form
from .models import Deadline, DeadlineExtension
from .permissions import can_extend_deadline
from .queries import stored_deadlines, vietgap_deadline, vietgap_ends_early
from .status import DeadlineView, view_of


@dataclass(frozen=True)
class CheckStory:
    """Which filing opened a first-level check and which event met it, with their days (one check per filing)."""

    opened_by: str  # submit or resubmit
    received_on: date
    met_by: str | None = None  # return or forward


@dataclass
class DeadlinePanel:
    """The deadlines partial's context."""

    deadlines: list[DeadlineView]
    forms: dict[int, ExtendDeadlineForm] = field(default_factory=dict)  # deadline id → its extension form
    extensions: dict[int, list[DeadlineExtension]] = field(default_factory=dict)
    vietgap_ends_on: date | None = None
    re_rating_due_on: date | None = None  # set when the VietGAP certificate ends before it
    stories: dict[int, CheckStory] = field(default_factory=dict)  # first-level check id → its filing and outcome


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
        vietgap_ends_on=record.valid_until if early else None, re_rating_due_on=early,
        stories=check_stories(dossier, rows))


def _opens_check(record: TransitionRecord) -> bool:
    return record.event in ("submit", "resubmit") and record.to_state in FIRST_LEVEL_CHECK


def _meets_check(record: TransitionRecord) -> bool:
    return record.event == "forward" or (record.event == "return" and record.from_state in FIRST_LEVEL_CHECK)


def check_stories(dossier: Dossier, rows: list[Deadline]) -> dict[int, CheckStory]:
    """Pair each round's first-level checks, in order, with the filings that opened them and the events that met
    them, so two checks of one round (a return, then a resubmission) never read as the same one twice."""
    openings, meetings = defaultdict(list), defaultdict(list)
    for record in dossier.history:
        if _opens_check(record):
            openings[record.round_number].append(record)
        elif _meets_check(record):
            meetings[record.round_number].append(record)
    checks = defaultdict(list)
    for row in rows:
        if row.kind == "first_level_check":
            checks[row.round_number].append(row)
    stories = {}
    for number, found in checks.items():
        if len(found) > len(openings[number]):
            continue  # rows older than the history that explains them: shown without a story
        # Not strict: the history may hold more openings than there are rows; each row pairs with the one of its rank.
        for i, (row, opened) in enumerate(zip(found, openings[number], strict=False)):
            met = meetings[number][i] if row.met_on is not None and i < len(meetings[number]) else None
            stories[row.id] = CheckStory(opened.event, local_day(opened.at), met.event if met else None)
    return stories
