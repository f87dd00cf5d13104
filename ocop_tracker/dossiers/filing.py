"""Filing a dossier with the producer's declaration, and the receipt the filing gives."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import NoReturn

from ..accounts.models import AdministrativeUnit, User
from ..activity.services import log_action
from ..clock import local_day
from ..clock import today as clock_today
from ..deadlines.models import Deadline
from ..deadlines.status import missing_calendar_year
from ..extensions import db
from ..reviews.services import current_round
from ..rules.rulesets import RuleSet
from ..workflow import FIRST_LEVEL_CHECK, EventNotAllowed, destinations
from .guards import EventInput, refused, what_is_missing
from .models import Dossier, TransitionRecord, dossier_code
from .permissions import can_fire
from .placement import dossier_rules
from .services import apply_event

FILING_EVENTS = ("submit", "resubmit")


def filing_event(dossier: Dossier) -> str:
    """A returned dossier is resubmitted; any other is submitted (the door says whether it may be)."""
    return "resubmit" if dossier.state == "returned" else "submit"


def file_dossier(dossier: Dossier, *, actor: User, version: int, declared: bool, event: str | None = None,
                 comment: str = "", today: date | None = None) -> TransitionRecord:
    """Submit or resubmit with the declaration that the dossier is true; without it nothing is filed."""
    event = event or filing_event(dossier)
    if event not in FILING_EVENTS:
        raise EventNotAllowed(f"'{event}' is not a filing")
    day = today or clock_today()
    if not declared:
        _refuse_undeclared(dossier, event, actor=actor, version=version, day=day)
    record = apply_event(dossier, event, actor=actor, version=version, comment=comment, today=day)
    evaluation = current_round(dossier)
    evaluation.declared_at, evaluation.declared_by_id = record.at, actor.id
    log_action("dossier.declare", actor=actor, dossier=dossier, obj=evaluation,
               data={"event": event, "round": evaluation.number})
    db.session.flush()
    return record


def _refuse_undeclared(dossier: Dossier, event: str, *, actor: User, version: int, day: date) -> NoReturn:
    """Refuse as the door would first (role, version, state); else name the declaration and whatever else is missing."""
    if not (can_fire(actor, dossier, event, day) and version == dossier.version and destinations(dossier.state, event)):
        apply_event(dossier, event, actor=actor, version=version, today=day)  # the door's own refusal, always
    rules = dossier_rules(dossier, day)
    missing = what_is_missing(event, dossier, rules, EventInput(actor=actor, today=day))
    raise refused(event, dossier, rules, ["declaration", *missing], f"'{event}' needs the producer's declaration")


@dataclass(frozen=True)
class Receipt:
    """What a filing gives the producer to keep: the code, the day received, the unit that checks and by when."""

    code: str
    filing: TransitionRecord
    received_on: date
    unit: AdministrativeUnit | None
    rules: RuleSet
    due_on: date | None
    missing_year: int | None  # why there is no due date yet: the working calendar lacks this year

    @property
    def working_days(self) -> int:
        return self.rules.data["first_level_working_days"]

    def unit_name(self, language: str = "vi") -> str:
        """"UBND xã Liên Sơn": the first level's title in the rule set, and the unit's name."""
        level = self.rules.level_name(self.rules.first_level, language)
        return f"{level} {self.unit.name}" if self.unit else level


def _first_level_check(dossier: Dossier, since: int) -> Deadline | None:
    """The check the latest filing opened: the newest one, unless a withdrawal closed it since."""
    if any(record.event == "withdraw" for record in dossier.history[since:]):
        return None
    return db.session.scalar(db.select(Deadline).filter_by(dossier_id=dossier.id, kind="first_level_check")
                             .order_by(Deadline.id.desc()).limit(1))


def latest_receipt(dossier: Dossier) -> Receipt | None:
    """The receipt of the dossier's latest filing (submission or resubmission); None before the first."""
    filings = [i for i, record in enumerate(dossier.history) if record.event in FILING_EVENTS]
    if not filings:
        return None
    filing = dossier.history[filings[-1]]
    at_first_level = filing.to_state in FIRST_LEVEL_CHECK  # not a file the province returned
    deadline = _first_level_check(dossier, filings[-1] + 1) if at_first_level else None
    due_on = deadline.due_on if deadline else None
    missing = missing_calendar_year(deadline.starts_on) if deadline and due_on is None else None
    return Receipt(code=dossier_code(dossier), filing=filing, received_on=local_day(filing.at),
                   unit=dossier.review_unit, rules=dossier_rules(dossier), due_on=due_on, missing_year=missing)
