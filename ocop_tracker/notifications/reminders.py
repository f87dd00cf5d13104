"""Reminders: open deadlines due soon or overdue (escalated to the unit's head), and certificates about to expire.

Each mail is queued once per dedupe key, so the daily command may run again (or catch up) without repeating any.
Reminders go to everyone concerned, whatever their mail preference: a summary is no place for a legal deadline.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm import defer, joinedload

from ..accounts.models import User
from ..clock import today as clock_today
from ..deadlines.models import Deadline
from ..deadlines.status import DeadlineView, deadline_status, due_soon_limits
from ..dossiers.models import Dossier
from ..dossiers.permissions import is_deciding_officer, is_provincial_officer
from ..dossiers.placement import acting_unit, dossier_rules, is_abolished, unit_at_level
from ..extensions import db
from ..i18n import day
from ..labels import STATE_LABELS
from ..products.models import Product
from ..registry.models import Certificate
from ..rules.services import working_calendar
from ..rules.working_days import CalendarYearMissing
from ..summaries.lines import DEADLINE_LABELS, Line, Section, deadline_text, link
from ..workflow import CLOSED
from .audience import Audience, already_queued, read_the_map
from .models import OutboxMail
from .phrasebook import Phrasebook
from .services import mail_row

CERTIFICATE_REMINDER_DAYS = (180, 120, 30)
DEFAULT_ESCALATION_WORKING_DAYS = 3
# Time limits the administration must keep: when overdue long enough, the unit's head hears of it too.
OFFICIAL_KINDS = ("first_level_check", "decision")
# Certificate expiry has its own 180/120/30-day reminders; a closed re-rating window asks nothing more of anyone.
REMINDED_KINDS = ("first_level_check", "decision", "re_rating_filing")
BATCH_SIZE = 500  # deadlines or certificates read, reminded and committed at a time


def _producers(dossier: Dossier, people: Audience) -> list[User]:
    return people.producers.get(dossier.product.organisation_id, [])


def _who_must_act(deadline: Deadline, dossier: Dossier, people: Audience) -> list[User]:
    """The reviewing unit's officers for the check; for the decision the chair while the council scores, then the
    deciding level's officers (the province's at the national council); else the producer."""
    if deadline.kind == "first_level_check":
        return people.officers.get(dossier.review_unit_id, [])
    if deadline.kind == "decision" and dossier.state in ("central_review", "awaiting_decision"):
        acts = is_deciding_officer if dossier.state == "awaiting_decision" else is_provincial_officer
        return [u for u in people.deciders(_units_that_may_decide(dossier)) if acts(u, dossier)]
    if deadline.kind == "decision":
        return people.chairs.get(dossier.rating_council_id, [])
    return _producers(dossier, people)


def _units_that_may_decide(dossier: Dossier) -> set[int | None]:
    """The units whose officers may decide or act for the province on the dossier: the producer's unit and those
    above it (a unit contains another by the path of ids it holds), and the unit acting for the reviewing one."""
    acting = acting_unit(dossier.review_unit)
    return {int(unit_id) for unit_id in dossier.organisation.unit.path.strip("/").split("/")} | {
        acting.id if acting else None}


def _head_unit(dossier: Dossier, deadline: Deadline) -> int | None:
    """The unit whose head hears of an escalation: the first level for its check, else the unit that decides."""
    unit = dossier.review_unit if deadline.kind == "first_level_check" else unit_at_level(dossier, dossier.level)
    unit = acting_unit(unit)
    return unit.id if unit else None


def _climbs_the_map(deadline: Deadline, dossier: Dossier, escalated: bool) -> bool:
    """Whether the reminder looks above the dossier's reviewing unit (loaded with it): a decision's deciding level
    and its officers are found through the province, as is the head of an abolished district's province."""
    return deadline.kind == "decision" or (escalated and is_abolished(dossier.review_unit, clock_today()))


def _working_days_late(due_on: date, today: date) -> int:
    """Working days since the due day; past the calendar's years only weekends are skipped (a delay, not a limit)."""
    try:
        return working_calendar().working_days_between(due_on, today)
    except CalendarYearMissing:
        return sum((due_on + timedelta(days=k)).weekday() < 5 for k in range(1, (today - due_on).days + 1))


def _facts(say: Phrasebook, dossier: Dossier, *rows: tuple[str, str]) -> Section:
    """The dossier's particulars as label/value rows (aligned in the text part)."""
    dossier_label, organisation_label, state_label, heading = say("facts", lambda: (
        _("Hồ sơ:"), _("Chủ thể:"), _("Trạng thái:"), _("Thông tin hồ sơ")))
    lines = [Line("dossier", [dossier_label, f"#{dossier.id} — {dossier.product.name}"]),
             Line("organisation", [organisation_label, dossier.organisation.name]),
             Line("state", [state_label, say(("state", dossier.state), lambda: str(STATE_LABELS[dossier.state]))])]
    return Section("facts", heading, lines + [Line(str(n), [label, value]) for n, (label, value) in
                                              enumerate(rows, start=1)])


def _queue(say: Phrasebook, person: User, dossier: Dossier, *, kind: str, key: str, subject: str, intro: str,
           rows: tuple[tuple[str, str], ...]) -> dict | None:
    """The outbox row of one reminder (inserted with the rest of its batch), None without an address."""
    shown = say(("link", dossier.id), lambda: link("dossiers.show", dossier_id=dossier.id))
    text, html = say.mail_parts(person, subject=subject, intro=intro, sections=[_facts(say, dossier, *rows)],
                                links=[(say("see", lambda: _("Xem hồ sơ")), shown)])
    return mail_row(person, kind=kind, subject=subject, text=text, html=html, dossier=dossier, dedupe_key=key)


@dataclass
class Reminder:
    """One reminder of a deadline to one person: `key` is queued once (`late`: working days, for escalations)."""

    person: User
    deadline: Deadline
    dossier: Dossier
    status: str
    late: int = 0

    @property
    def key(self) -> str:
        assert self.deadline.due_on is not None  # _open_deadlines selects dated deadlines only
        return f"reminder:{self.deadline.id}:{self.status}:{self.deadline.due_on.isoformat()}:{self.person.id}"


def _deadline_patterns() -> dict[str, tuple[str, str]]:
    """The subject and intro of a deadline reminder by status, as patterns (translated once per language)."""
    return {
        "due_soon": (_("[OCOP] Sắp đến hạn: %(name)s hồ sơ #%(id)d (%(product)s), ngày %(day)s"),
                     _("%(name)s của hồ sơ #%(id)d là ngày %(day)s. Vui lòng xử lý trước hạn.")),
        "overdue": (_("[OCOP] Quá hạn: %(name)s hồ sơ #%(id)d (%(product)s), từ ngày %(day)s"),
                    _("%(name)s của hồ sơ #%(id)d đã qua (ngày %(day)s). Vui lòng xử lý ngay.")),
        "escalated": (_("[OCOP] Báo cáo quá hạn: hồ sơ #%(id)d (%(product)s) chậm %(late)s"),
                      _("%(name)s của hồ sơ #%(id)d (ngày %(day)s) đã quá %(late)s. Thư này gửi lãnh đạo đơn vị "
                        "để đôn đốc.")),
    }


def _remind(reminder: Reminder) -> dict | None:
    """The reminder in the person's language, as an outbox row."""
    person, deadline, dossier, status, late = (reminder.person, reminder.deadline, reminder.dossier, reminder.status,
                                               reminder.late)
    due_on = deadline.due_on
    assert due_on is not None  # _open_deadlines selects dated deadlines only
    say = Phrasebook.of(person)
    what = {"name": say(("deadline", deadline.kind), lambda: str(DEADLINE_LABELS[deadline.kind])), "id": dossier.id,
            "day": say(("day", due_on), lambda: day(due_on)), "product": dossier.product.name}
    if status == "escalated":
        what["late"] = say(("late", late), lambda: ngettext("%(num)d ngày làm việc", "%(num)d ngày làm việc", late))
    subject, intro = (pattern % what for pattern in say("deadline patterns", _deadline_patterns)[status])
    shown = "overdue" if status == "escalated" else status
    rows = ((say("limit", lambda: _("Thời hạn:")),
             say(("deadline text", deadline.kind, due_on, shown),
                 lambda: deadline_text(DeadlineView(deadline.kind, due_on, shown)))),)
    return _queue(say, person, dossier, kind=f"reminder.{status}", key=reminder.key, subject=subject, intro=intro,
                  rows=rows)


_DOSSIER_SHOWN = (joinedload(Dossier.product).joinedload(Product.organisation), joinedload(Dossier.review_unit))


def _open_deadlines(today: date) -> list[int]:
    """Ids of the open deadlines with a due date up to the furthest "due soon" limit, on dossiers still open, by
    due day (ids only: the rows are read a batch at a time)."""
    limits = due_soon_limits(today)
    statement = db.select(Deadline.id).join(Dossier, Deadline.dossier_id == Dossier.id).where(
        Deadline.met_on.is_(None), Deadline.due_on.is_not(None), Deadline.kind.in_(REMINDED_KINDS),
        Deadline.due_on <= max(limits.working_until, limits.calendar_until), Dossier.state.not_in(CLOSED))
    return list(db.session.scalars(statement.order_by(Deadline.due_on, Deadline.id)))


def _deadlines_with_dossiers(ids: list[int]) -> list[tuple[Deadline, Dossier]]:
    """The batch's deadlines with their dossiers and what a reminder shows, in the order of `ids`."""
    rows = db.session.execute(db.select(Deadline, Dossier).join(Dossier, Deadline.dossier_id == Dossier.id)
                              .where(Deadline.id.in_(ids))
                              .options(*_DOSSIER_SHOWN, defer(Dossier.rules_snapshot))).all()
    place = {deadline_id: n for n, deadline_id in enumerate(ids)}
    return sorted((tuple(row) for row in rows), key=lambda row: place[row[0].id])


def _deadline_reminders(rows: list[tuple[Deadline, Dossier]], today: date, delay: int) -> list[Reminder]:
    """The batch's reminders in the order they are queued: whoever must act, then the escalation."""
    found, lateness = [], {}
    for deadline, dossier in rows:
        assert deadline.due_on is not None  # _open_deadlines selects dated deadlines only
        status = deadline_status(deadline.kind, deadline.due_on, None, today)
        if status not in ("due_soon", "overdue") or (status == "overdue" and deadline.kind == "re_rating_filing"):
            continue
        if status == "overdue" and deadline.due_on not in lateness:  # counted once per due day of the batch
            lateness[deadline.due_on] = _working_days_late(deadline.due_on, today)
        late = lateness[deadline.due_on] if status == "overdue" else 0
        found.append((deadline, dossier, status, late, deadline.kind in OFFICIAL_KINDS and late > delay))
    _the_map = read_the_map() if any(_climbs_the_map(deadline, dossier, escalated)
                                     for deadline, dossier, _status, _late, escalated in found) else []
    due = [(deadline, dossier, status, late, _head_unit(dossier, deadline) if escalated else None)
           for deadline, dossier, status, late, escalated in found]
    people = Audience.read(
        officer_units={d.review_unit_id for dl, d, *_ in due if dl.kind == "first_level_check" and d.review_unit_id},
        councils={d.rating_council_id for dl, d, *_ in due if dl.kind == "decision" and d.rating_council_id},
        organisations={d.product.organisation_id for dl, d, *_ in due if dl.kind not in OFFICIAL_KINDS},
        head_units={head for *_, head in due if head is not None})
    reminders = []
    for deadline, dossier, status, late, head in due:
        reminders += [Reminder(p, deadline, dossier, status) for p in _who_must_act(deadline, dossier, people)]
        if head is not None:
            reminders += [Reminder(p, deadline, dossier, "escalated", late) for p in people.heads.get(head, [])]
    return reminders


def _queue_new(reminders: list, write) -> int:
    """Queue the reminders whose key the outbox does not hold yet (asked in one statement for the batch), in one
    bulk insert; how many."""
    seen = already_queued(r.key for r in reminders)
    rows = []
    for reminder in reminders:
        if reminder.key not in seen:
            seen.add(reminder.key)
            rows += [row] if (row := write(reminder)) is not None else []
    if rows:
        db.session.execute(db.insert(OutboxMail), rows)
    return len(rows)


def queue_deadline_reminders(today: date) -> int:
    """Due-soon and overdue reminders to whoever must act, and the escalation after the configured delay; a
    batch of deadlines at a time, each committed."""
    delay = int(current_app.config.get("REMINDER_ESCALATION_WORKING_DAYS", DEFAULT_ESCALATION_WORKING_DAYS))
    queued, ids = 0, _open_deadlines(today)
    for start in range(0, len(ids), BATCH_SIZE):
        rows = _deadlines_with_dossiers(ids[start:start + BATCH_SIZE])
        queued += _queue_new(_deadline_reminders(rows, today, delay), _remind)
        db.session.commit()
    return queued


@dataclass
class CertificateReminder:
    person: User
    certificate: Certificate
    mark: int  # the 180, 120 or 30 days before its end this reminder stands for

    @property
    def key(self) -> str:
        return f"reminder:certificate:{self.certificate.id}:{self.mark}:{self.person.id}"


def _certificate_patterns() -> tuple[str, str, str, str]:
    """The subject, intro, window label and window of a certificate reminder, as patterns (once per language)."""
    return (_("[OCOP] Giấy chứng nhận %(code)s (%(product)s) có hiệu lực đến hết ngày %(day)s, còn %(left)s"),
            _("Giấy chứng nhận %(code)s của sản phẩm %(product)s có hiệu lực đến hết ngày %(day)s (còn %(left)s)."),
            _("Nộp đánh giá lại:"), _("từ %(opens)s đến %(closes)s"))


def _certificate_reminder(reminder: CertificateReminder, today: date) -> dict | None:
    person, certificate = reminder.person, reminder.certificate
    dossier, expires_on = certificate.dossier, certificate.expires_on
    opens, closes = dossier_rules(dossier).re_rating_window(expires_on)
    say = Phrasebook.of(person)
    days_left = (expires_on - today).days
    subject, intro, window_label, window = say("certificate patterns", _certificate_patterns)
    what = {"code": certificate.code, "product": dossier.product.name,
            "day": say(("day", expires_on), lambda: day(expires_on)),
            "left": say(("days", days_left), lambda: ngettext("%(num)d ngày", "%(num)d ngày", days_left))}
    dates = {"opens": say(("day", opens), lambda: day(opens)), "closes": say(("day", closes), lambda: day(closes))}
    rows = ((window_label, window % dates),) if today <= closes else ()
    return _queue(say, person, dossier, kind="reminder.certificate_expiry", subject=subject % what,
                  intro=intro % what, rows=rows, key=reminder.key)


def _expiring_certificates(today: date) -> list[int]:
    """Ids of the valid certificates ending within the furthest reminder, by end day."""
    horizon = today + timedelta(days=max(CERTIFICATE_REMINDER_DAYS))
    return list(db.session.scalars(db.select(Certificate.id).where(
        Certificate.status == "valid", Certificate.expires_on >= today, Certificate.expires_on <= horizon)
        .order_by(Certificate.expires_on, Certificate.id)))


def queue_certificate_reminders(today: date) -> int:
    """180, 120 and 30 days before a valid certificate ends, once each (a missed day sends the latest one due);
    a batch of certificates at a time, each committed."""
    queued, ids = 0, _expiring_certificates(today)
    for start in range(0, len(ids), BATCH_SIZE):
        batch = ids[start:start + BATCH_SIZE]
        certificates = sorted(db.session.scalars(db.select(Certificate).where(Certificate.id.in_(batch)).options(
            joinedload(Certificate.dossier).options(*_DOSSIER_SHOWN))), key=lambda c: (c.expires_on, c.id))
        people = Audience.read(organisations={c.dossier.product.organisation_id for c in certificates})
        reminders = [CertificateReminder(p, c, min(d for d in CERTIFICATE_REMINDER_DAYS
                                                   if (c.expires_on - today).days <= d))
                     for c in certificates for p in _producers(c.dossier, people)]
        queued += _queue_new(reminders, lambda reminder: _certificate_reminder(reminder, today))
        db.session.commit()
    return queued


def queue_reminders(today: date) -> int:
    """Every reminder due today; how many mails were queued (none twice)."""
    return queue_deadline_reminders(today) + queue_certificate_reminders(today)
