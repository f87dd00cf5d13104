"""Opening, meeting, closing and extending a dossier's legal time limits.

`sync_deadlines` follows every event inside apply_event's transaction (signals.transition_applied). A deadline that no longer applies
(the dossier withdrawn, the certificate revoked, expired or replaced) is closed by deleting its row: it was not
met, and keeping it would count against the unit's on-time rate; the history keeps the event that closed it.
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..activity.services import log_action
from ..clock import moment_of
from ..dossiers.models import Dossier, TransitionRecord
from ..dossiers.placement import dossier_rules
from ..extensions import db
from ..registry.services import current_certificate
from ..reviews.services import current_round
from ..rules.rulesets import RuleSet
from ..rules.services import working_calendar
from ..rules.working_days import CalendarYearMissing
from ..signals import calendar_changed, transition_applied
from ..workflow import FIRST_LEVEL_CHECK, EventNotAllowed, GuardFailed, NotPermitted
from .models import Deadline, DeadlineExtension
from .permissions import can_extend_deadline

ONE_DAY = timedelta(days=1)
CERTIFICATE_KINDS = ("re_rating_filing", "certificate_expiry")


def first_level_dates(received_on: date, working_days: int) -> tuple[date, date | None]:
    """The first counted day (the working day after receipt) and the last; no due date while a year is missing."""
    calendar = working_calendar()
    try:
        return calendar.next_working_day(received_on), calendar.add_working_days(received_on, working_days)
    except CalendarYearMissing:
        try:
            starts_on = calendar.next_working_day(received_on)
        except CalendarYearMissing:
            # Only the days up to the first working day are off, so the day after receipt counts the same.
            starts_on = received_on + ONE_DAY
        return starts_on, None


def _open(dossier: Dossier, kind: str) -> Deadline | None:
    return db.session.scalar(db.select(Deadline).filter_by(dossier_id=dossier.id, kind=kind, met_on=None))


def _start(dossier: Dossier, kind: str, starts_on: date, due_on: date | None) -> Deadline:
    deadline = Deadline(dossier_id=dossier.id, round_number=dossier.round_number, kind=kind,
                        starts_on=starts_on, due_on=due_on)
    db.session.add(deadline)
    return deadline


def _meet(dossier: Dossier, kind: str, day: date) -> None:
    """The open deadline of this kind is met on `day`: one UPDATE, not a read and a write (deadlines the session
    holds are set too)."""
    db.session.execute(db.update(Deadline).where(Deadline.dossier_id == dossier.id, Deadline.kind == kind,
                                                 Deadline.met_on.is_(None)).values(met_on=day))


def _close(dossier: Dossier, *kinds: str) -> None:
    """Delete the open deadlines of these kinds (with their extensions): they no longer apply."""
    for deadline in db.session.scalars(db.select(Deadline).where(
            Deadline.dossier_id == dossier.id, Deadline.kind.in_(kinds), Deadline.met_on.is_(None))
            .options(selectinload(Deadline.extensions))):  # the extensions of them all in one statement
        for extension in deadline.extensions:
            db.session.delete(extension)
        db.session.delete(deadline)


def _received(dossier: Dossier, given, rules: RuleSet) -> None:
    """A submission starts the first-level check: 15 working days from the working day after receipt."""
    _close(dossier, "first_level_check")  # at most one open check per dossier
    _start(dossier, "first_level_check", *first_level_dates(given.today, rules.data["first_level_working_days"]))


def _resubmitted(dossier: Dossier, given, rules: RuleSet) -> None:
    """Supplements back at the first level start its check again; a file the province returned goes back to the
    province, whose check has no time limit here (the first level's check was met when it forwarded the file)."""
    if dossier.state in FIRST_LEVEL_CHECK:
        _received(dossier, given, rules)


def _filed(dossier: Dossier, given, rules: RuleSet) -> None:
    """A filing starts the check; a re-rating filed meets its filing window (checked on this day)."""
    _received(dossier, given, rules)
    if current_round(dossier).kind == "re_rating":
        _meet(dossier, "re_rating_filing", given.today)


def _receipt_corrected(dossier: Dossier, given, rules: RuleSet) -> Deadline | None:
    """The officer recorded the paper dossier's real receipt day: the check counts from it (unless extended);
    the open check, if any."""
    deadline = _open(dossier, "first_level_check")
    if given.received_on is not None and deadline is not None and not deadline.extensions:
        deadline.starts_on, deadline.due_on = first_level_dates(given.received_on,
                                                                rules.data["first_level_working_days"])
    return deadline


def _returned(dossier: Dossier, given, rules: RuleSet) -> None:
    """The check ends (met) once its receipt day is right: the open check read once for both, or not read at all
    when no receipt day was recorded."""
    if given.received_on is None:
        _meet(dossier, "first_level_check", given.today)
        return
    deadline = _receipt_corrected(dossier, given, rules)
    if deadline is not None:
        deadline.met_on = given.today


def _decision_limit(dossier: Dossier, given, rules: RuleSet) -> None:
    """The council's file is complete: a re-rating is decided within 45 days, a first rating or upgrade by its
    batch's decision date (QĐ 26 Điều 5, 7.6.g); rule sets without batches set no date for those."""
    _close(dossier, "decision")
    evaluation = current_round(dossier)
    if evaluation.kind == "re_rating":
        _start(dossier, "decision", given.today, given.today + timedelta(days=rules.data["re_rating_decision_days"]))
    elif evaluation.batch is not None:
        _start(dossier, "decision", given.today, evaluation.batch.decision_due)


def _forwarded(dossier: Dossier, given, rules: RuleSet) -> None:
    _returned(dossier, given, rules)
    if dossier.state == "star_rating":  # the first level's own council (district era)
        _decision_limit(dossier, given, rules)


def _certified(dossier: Dossier, given, rules: RuleSet) -> None:
    """The decision is met; the new certificate replaces the old one's re-rating window and expiry."""
    _meet(dossier, "decision", given.today)
    certificate = current_certificate(dossier)
    if certificate is None or certificate.round_id != current_round(dossier).id:
        return  # the round ended keeping the certificate the product already held
    _close(dossier, *CERTIFICATE_KINDS)
    opens, closes = rules.re_rating_window(certificate.expires_on)
    _start(dossier, "re_rating_filing", opens, closes)
    _start(dossier, "certificate_expiry", certificate.issued_on, certificate.expires_on)


def _round_ended(dossier: Dossier, given, rules: RuleSet) -> None:
    """Scores or a decision closed the round (certificate, refusal, or the one already held kept)."""
    if dossier.state == "certified":
        _certified(dossier, given, rules)
    elif dossier.state == "not_recognised":
        _meet(dossier, "decision", given.today)


_HANDLERS = {
    "submit": _filed,
    "resubmit": _resubmitted,
    "verify_vietgap": _receipt_corrected,
    "return": _returned,
    "forward": _forwarded,
    "admit": _decision_limit,
    "withdraw": lambda dossier, _given, _rules: _close(dossier, "first_level_check", "decision"),
    "close_rating": _round_ended,
    "recognise": _round_ended,
    "decide": _round_ended,
    "revoke": lambda dossier, _given, _rules: _close(dossier, *CERTIFICATE_KINDS),
    "expire": lambda dossier, _given, _rules: _close(dossier, *CERTIFICATE_KINDS),
}


def sync_deadlines(_stage: str, *, dossier: Dossier, record: TransitionRecord, given, rules: RuleSet) -> None:
    """After every event, inside its transaction: open, meet and close the deadlines."""
    handler = _HANDLERS.get(record.event)
    if handler is not None:
        handler(dossier, given, rules)


def recompute_open_deadlines() -> int:
    """Count the first-level checks again on the calendar as it is now (after an administrator's change).

    Open checks and those still without a due date; an extended one keeps the date an officer chose.
    Returns how many due dates changed.
    """
    statement = db.select(Deadline, Dossier).join(Dossier, Deadline.dossier_id == Dossier.id).where(
        Deadline.kind == "first_level_check", ~Deadline.extensions.any(),
        Deadline.met_on.is_(None) | Deadline.due_on.is_(None))
    changed = 0
    for deadline, dossier in db.session.execute(statement):
        # Every day from receipt to the first counted day is off, so the day before it stands for the receipt.
        dates = first_level_dates(deadline.starts_on - ONE_DAY, dossier_rules(dossier).data["first_level_working_days"])
        if dates != (deadline.starts_on, deadline.due_on):
            deadline.starts_on, deadline.due_on = dates
            changed += 1
    db.session.flush()
    return changed


def extension_log_data(deadline: Deadline, new_due_on: date, reason: str) -> dict:
    """The activity data of an extension: which deadline, from which day to which, and why."""
    old = deadline.due_on
    shown = f"{old:%d/%m/%Y}" if old else "—"
    return {"kind": deadline.kind, "from": old.isoformat() if old else None, "to": new_due_on.isoformat(),
            "reason": reason, "summary": f"{shown} → {new_due_on:%d/%m/%Y}: {reason}"}


def _calendar_changed(_sender: object) -> None:
    recompute_open_deadlines()


def connect_signals() -> None:
    """Deadlines follow every transition (after its certificates) and every change of the working-day calendar."""
    transition_applied.connect(sync_deadlines, sender="deadlines")
    calendar_changed.connect(_calendar_changed)


def extend_deadline(deadline: Deadline, *, actor: User, new_due_on: date | None, reason: str,
                    today: date) -> DeadlineExtension:
    """Move an open deadline to a later day, with a reason, and log it in the activity log.

    Not a workflow event: the dossier's state and version stay as they are.
    """
    dossier = db.session.get_one(Dossier, deadline.dossier_id)
    if not can_extend_deadline(actor, dossier, deadline):
        raise NotPermitted("only the reviewing unit's officers or the province may extend this deadline")
    if deadline.met_on is not None:
        raise EventNotAllowed("this deadline is already met")
    reason = (reason or "").strip()
    floor = deadline.due_on or deadline.starts_on
    missing = ([] if reason else ["reason"]) + ([] if new_due_on and new_due_on > floor else ["new_due_on"])
    if missing or new_due_on is None:
        raise GuardFailed("an extension needs a reason and a later due date", missing)
    extension = DeadlineExtension(deadline=deadline, previous_due_on=deadline.due_on, new_due_on=new_due_on,
                                  reason=reason, extended_by=actor)
    db.session.add(extension)
    log_action("deadlines.extend", actor=actor, dossier=dossier, obj=deadline,
               data=extension_log_data(deadline, new_due_on, reason), at=moment_of(today))
    deadline.due_on = new_due_on
    db.session.flush()
    return extension
