"""Reminders: open deadlines due soon or overdue (escalated to the unit's head), and certificates about to expire.

Each mail is queued once per dedupe key, so the daily command may run again (or catch up) without repeating any.
Reminders go to everyone concerned, whatever their mail preference: a summary is no place for a legal deadline.
"""
from __future__ import annotations

from datetime import date, timedelta

from flask import current_app
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from ..accounts.models import User
from ..deadlines.models import Deadline
from ..deadlines.status import DeadlineView, deadline_status, due_soon_limits
from ..dossiers.models import Dossier
from ..dossiers.permissions import is_deciding_officer, is_provincial_officer
from ..dossiers.placement import acting_unit, dossier_rules, unit_at_level
from ..extensions import db
from ..i18n import day
from ..labels import STATE_LABELS
from ..registry.models import Certificate
from ..reviews.models import CouncilMember
from ..rules.services import working_calendar
from ..rules.working_days import CalendarYearMissing
from ..summaries.lines import DEADLINE_LABELS, Line, Section, deadline_text, link, mail_parts
from ..workflow import CLOSED
from .services import queue_mail

CERTIFICATE_REMINDER_DAYS = (180, 120, 30)
DEFAULT_ESCALATION_WORKING_DAYS = 3
# Time limits the administration must keep: when overdue long enough, the unit's head hears of it too.
OFFICIAL_KINDS = ("first_level_check", "decision")
# Certificate expiry has its own 180/120/30-day reminders; a closed re-rating window asks nothing more of anyone.
REMINDED_KINDS = ("first_level_check", "decision", "re_rating_filing")


def _people(statement) -> list[User]:
    return list(db.session.scalars(statement.where(User.active.is_(True)).order_by(User.id)))


def _producers(dossier: Dossier) -> list[User]:
    return _people(db.select(User).filter_by(role="producer", organisation_id=dossier.product.organisation_id))


def _who_must_act(deadline: Deadline, dossier: Dossier) -> list[User]:
    """The reviewing unit's officers for the check; for the decision the chair while the council scores, then the
    deciding level's officers (the province's at the national council); else the producer."""
    if deadline.kind == "first_level_check":
        return _people(db.select(User).filter_by(role="officer", unit_id=dossier.review_unit_id))
    if deadline.kind == "decision" and dossier.state in ("central_review", "awaiting_decision"):
        acts = is_deciding_officer if dossier.state == "awaiting_decision" else is_provincial_officer
        return [u for u in _people(db.select(User).where(User.role.in_(("officer", "admin")))) if acts(u, dossier)]
    if deadline.kind == "decision":
        return _people(db.select(User).join(CouncilMember, CouncilMember.user_id == User.id).where(
            CouncilMember.council_id == dossier.rating_council_id, CouncilMember.is_chair.is_(True)))
    return _producers(dossier)


def _unit_heads(dossier: Dossier, deadline: Deadline) -> list[User]:
    """The head of the unit that must act: the first level for its check, else the unit that decides."""
    unit = dossier.review_unit if deadline.kind == "first_level_check" else unit_at_level(dossier, dossier.level)
    unit = acting_unit(unit)
    return _people(db.select(User).filter_by(role="officer", is_unit_head=True, unit_id=unit.id if unit else None))


def _working_days_late(due_on: date, today: date) -> int:
    """Working days since the due day; past the calendar's years only weekends are skipped (a delay, not a limit)."""
    try:
        return working_calendar().working_days_between(due_on, today)
    except CalendarYearMissing:
        return sum((due_on + timedelta(days=k)).weekday() < 5 for k in range(1, (today - due_on).days + 1))


def _facts(dossier: Dossier, *rows: tuple[str, str]) -> Section:
    """The dossier's particulars as label/value rows (aligned in the text part)."""
    lines = [Line("dossier", [_("Hồ sơ:"), f"#{dossier.id} — {dossier.product.name}"]),
             Line("organisation", [_("Chủ thể:"), dossier.organisation.name]),
             Line("state", [_("Trạng thái:"), str(STATE_LABELS[dossier.state])])]
    return Section("facts", _("Thông tin hồ sơ"), lines + [Line(str(n), [label, value]) for n, (label, value) in
                                                 enumerate(rows, start=1)])


def _queue(person: User, dossier: Dossier, *, kind: str, key: str, subject: str, intro: str,
           rows: tuple[tuple[str, str], ...]) -> int:
    text, html = mail_parts(person, subject=subject, intro=intro, sections=[_facts(dossier, *rows)],
                            links=[(_("Xem hồ sơ"), link("dossiers.show", dossier_id=dossier.id))])
    return queue_mail(person, kind=kind, subject=subject, text=text, html=html, dossier=dossier,
                      dedupe_key=key) is not None


def _remind(person: User, deadline: Deadline, dossier: Dossier, status: str, late: int) -> int:
    """One reminder of a deadline to one person, in their language; 1 when queued, 0 when it was already."""
    with force_locale(person.locale or "vi"):
        what = {"name": str(DEADLINE_LABELS[deadline.kind]), "id": dossier.id, "day": day(deadline.due_on),
                "product": dossier.product.name}
        if status == "due_soon":
            subject = _("[OCOP] Sắp đến hạn: %(name)s hồ sơ #%(id)d (%(product)s), ngày %(day)s", **what)
            intro = _("%(name)s của hồ sơ #%(id)d là ngày %(day)s. Vui lòng xử lý trước hạn.", **what)
        elif status == "overdue":
            subject = _("[OCOP] Quá hạn: %(name)s hồ sơ #%(id)d (%(product)s), từ ngày %(day)s", **what)
            intro = _("%(name)s của hồ sơ #%(id)d đã qua (ngày %(day)s). Vui lòng xử lý ngay.", **what)
        else:
            late_text = ngettext("%(num)d ngày làm việc", "%(num)d ngày làm việc", late)
            subject = _("[OCOP] Báo cáo quá hạn: hồ sơ #%(id)d (%(product)s) chậm %(late)s", late=late_text, **what)
            intro = _("%(name)s của hồ sơ #%(id)d (ngày %(day)s) đã quá %(late)s. Thư này gửi lãnh đạo đơn vị "
                      "để đôn đốc.", late=late_text, **what)
        assert deadline.due_on is not None  # _open_deadlines selects dated deadlines only
        key = f"reminder:{deadline.id}:{status}:{deadline.due_on.isoformat()}:{person.id}"
        view = DeadlineView(deadline.kind, deadline.due_on, "overdue" if status == "escalated" else status)
        return _queue(person, dossier, kind=f"reminder.{status}", key=key, subject=subject, intro=intro,
                      rows=((_("Thời hạn:"), deadline_text(view)),))


def _open_deadlines(today: date) -> list[tuple[Deadline, Dossier]]:
    """Open deadlines with a due date up to the furthest "due soon" limit, on dossiers still open."""
    limits = due_soon_limits(today)
    statement = db.select(Deadline, Dossier).join(Dossier, Deadline.dossier_id == Dossier.id).where(
        Deadline.met_on.is_(None), Deadline.due_on.is_not(None), Deadline.kind.in_(REMINDED_KINDS),
        Deadline.due_on <= max(limits.working_until, limits.calendar_until), Dossier.state.not_in(CLOSED))
    return list(db.session.execute(statement.order_by(Deadline.due_on, Deadline.id)).all())


def queue_deadline_reminders(today: date) -> int:
    """Due-soon and overdue reminders to whoever must act, and the escalation after the configured delay."""
    delay = int(current_app.config.get("REMINDER_ESCALATION_WORKING_DAYS", DEFAULT_ESCALATION_WORKING_DAYS))
    queued = 0
    for deadline, dossier in _open_deadlines(today):
        assert deadline.due_on is not None  # _open_deadlines selects dated deadlines only
        status = deadline_status(deadline.kind, deadline.due_on, None, today)
        if status not in ("due_soon", "overdue") or (status == "overdue" and deadline.kind == "re_rating_filing"):
            continue
        queued += sum(_remind(p, deadline, dossier, status, 0) for p in _who_must_act(deadline, dossier))
        late = _working_days_late(deadline.due_on, today) if status == "overdue" else 0
        if deadline.kind in OFFICIAL_KINDS and late > delay:
            queued += sum(_remind(head, deadline, dossier, "escalated", late) for head in _unit_heads(dossier, deadline))
    return queued


def _certificate_reminder(person: User, certificate: Certificate, mark: int, today: date) -> int:
    dossier = certificate.dossier
    opens, closes = dossier_rules(dossier).re_rating_window(certificate.expires_on)
    with force_locale(person.locale or "vi"):
        left = ngettext("%(num)d ngày", "%(num)d ngày", (certificate.expires_on - today).days)
        what = {"code": certificate.code, "product": dossier.product.name, "day": day(certificate.expires_on),
                "left": left}
        subject = _("[OCOP] Giấy chứng nhận %(code)s (%(product)s) có hiệu lực đến hết ngày %(day)s, còn %(left)s",
                    **what)
        intro = _("Giấy chứng nhận %(code)s của sản phẩm %(product)s có hiệu lực đến hết ngày %(day)s (còn %(left)s).",
                  **what)
        window = (_("Nộp đánh giá lại:"), _("từ %(opens)s đến %(closes)s", opens=day(opens), closes=day(closes)))
        rows = (window,) if today <= closes else ()
        return _queue(person, dossier, kind="reminder.certificate_expiry", subject=subject, intro=intro, rows=rows,
                      key=f"reminder:certificate:{certificate.id}:{mark}:{person.id}")


def queue_certificate_reminders(today: date) -> int:
    """180, 120 and 30 days before a valid certificate ends, once each (a missed day sends the latest one due)."""
    horizon = today + timedelta(days=max(CERTIFICATE_REMINDER_DAYS))
    certificates = db.session.scalars(db.select(Certificate).where(
        Certificate.status == "valid", Certificate.expires_on >= today, Certificate.expires_on <= horizon)
        .order_by(Certificate.expires_on, Certificate.id))
    queued = 0
    for certificate in certificates:
        mark = min(d for d in CERTIFICATE_REMINDER_DAYS if (certificate.expires_on - today).days <= d)
        queued += sum(_certificate_reminder(p, certificate, mark, today) for p in _producers(certificate.dossier))
    return queued


def queue_reminders(today: date) -> int:
    """Every reminder due today; how many mails were queued (none twice)."""
    return queue_deadline_reminders(today) + queue_certificate_reminders(today)
