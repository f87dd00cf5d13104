"""Status summaries: per recipient and role, what waits for them, what is due and what changed, as text and HTML."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import Select
from sqlalchemy.orm import defer, joinedload

from ..accounts.models import User
from ..deadlines.queries import count_all_due, due_condition, next_deadlines
from ..dossiers.models import Dossier, TransitionRecord
from ..dossiers.permissions import visible_dossiers
from ..dossiers.queries import QueueFilters, QueuePage, dossier_queue, queue_counts
from ..extensions import db
from ..i18n import day, moment
from ..labels import EVENT_LABELS, STATE_LABELS
from ..registry.models import Certificate
from ..reports.queries import ReportFilters
from ..reports.snapshots import dashboard_snapshot
from ..workflow import STATES
from .councils import councils_sections
from .lines import (  # noqa: F401
    PERIOD_DAYS,
    PERIODS,
    PRODUCT_LOADED,
    RECORD_LOADED,
    SECTION_LIMIT,
    Line,
    Reported,
    Section,
    day_start,
    deadline_text,
    dossier_line,
    event_line,
    limited,
    link,
    mail_parts,
    period_bounds,
)
from .officers import (
    UnitRows,
    admin_pages,
    admin_scoped,
    province_rows,
    province_scoped,
    unit_rows,
    unit_scoped,
)
from .producers import PRODUCER_CHUNK, producer_sections, producers_sections

EXPIRY_HORIZON_DAYS = 180
ARRIVAL_EVENTS = ("submit", "resubmit")


@dataclass
class Summary:
    """One user's summary: the mail's subject and parts, and the sections they were made from."""

    subject: str
    text: str
    html: str
    sections: list[Section]
    waiting: int  # things the recipient must act on
    news: int  # things that happened in the period or need attention now

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)


def _first_rows(statement: Select) -> tuple[list, int]:
    """The section's first SECTION_LIMIT rows and how many there are in all: two statements whatever the size."""
    total = db.session.scalar(db.select(db.func.count()).select_from(statement.order_by(None).subquery()))
    return list(db.session.scalars(statement.limit(SECTION_LIMIT))), total or 0


def _history(user: User, days: Reported, events: tuple[str, ...]) -> tuple[list[TransitionRecord], int]:
    """Events of the user's dossiers on the reported days: the first ones and how many in all."""
    statement = visible_dossiers(user, db.select(TransitionRecord)
                                 .join(Dossier, TransitionRecord.dossier_id == Dossier.id))
    return _first_rows(statement.where(
        TransitionRecord.event.in_(events), TransitionRecord.at >= day_start(days.since),
        TransitionRecord.at < day_start(days.until)).order_by(TransitionRecord.at, TransitionRecord.id)
        .options(RECORD_LOADED))


def _lines_with_deadlines(dossiers: list[Dossier], deadlines: dict, column) -> list[Line]:
    return [dossier_line(d, column(d), notes=(deadline_text(deadlines.get(d.id)),)) for d in dossiers]


def _queue_lines(page) -> list[Line]:
    return _lines_with_deadlines(page.items, page.deadlines, lambda d: d.organisation.name)


def _expiring(user: User, today: date) -> tuple[list[Certificate], int]:
    statement = visible_dossiers(user, db.select(Certificate).join(Dossier, Certificate.dossier_id == Dossier.id))
    return _first_rows(statement.where(
        Certificate.status == "valid", Certificate.expires_on >= today,
        Certificate.expires_on <= today + timedelta(days=EXPIRY_HORIZON_DAYS))
        .order_by(Certificate.expires_on, Certificate.id)  # the id: the same order here and in a batch
        .options(joinedload(Certificate.dossier).options(defer(Dossier.rules_snapshot), joinedload(Dossier.product))))


def _expiring_lines(certificates: list[Certificate], today: date) -> list[Line]:
    return [Line(c.code, [c.code, c.dossier.product.name, day(c.expires_on)],
                 [ngettext("còn %(num)d ngày", "còn %(num)d ngày", (c.expires_on - today).days)],
                 link("dossiers.show", dossier_id=c.dossier_id)) for c in certificates]


def _officer_rows(user: User, today: date, days: Reported) -> UnitRows:
    """What an officer's sections list, read for them alone (a province's officers, the administrators' peers)."""
    counts = queue_counts(user, today)  # the three tabs' totals in one statement, not a count per tab

    def queue(due: str):
        return dossier_queue(user, QueueFilters(due=due), today=today, per_page=SECTION_LIMIT, total=counts[due])

    records, arrived = _history(user, days, ARRIVAL_EVENTS)
    return UnitRows(queue("overdue"), queue("due_soon"), queue("awaiting"), records, arrived, *_expiring(user, today))


def _officer_sections(user: User, today: date, days: Reported) -> list[Section]:
    return _officer_section_list(_officer_rows(user, today, days), today, days)


def _officer_section_list(rows: UnitRows, today: date, days: Reported) -> list[Section]:
    overdue, soon, awaiting = rows.overdue, rows.due_soon, rows.awaiting
    urgent = {d.id for d in overdue.items + soon.items}
    rest = [line for line in _queue_lines(awaiting) if int(line.key) not in urgent]
    arrivals = [event_line(r, r.dossier.organisation.name, str(EVENT_LABELS[r.event])) for r in rows.arrivals]
    return [
        limited("overdue", _("Quá hạn"), _queue_lines(overdue), total=overdue.total, counts="waiting",
                empty=_("Không có hồ sơ quá hạn."), more_url=link("dossiers.index", due="overdue")),
        limited("due_soon", _("Sắp đến hạn"), _queue_lines(soon), total=soon.total, counts="waiting",
                empty=_("Không có hồ sơ sắp đến hạn."), more_url=link("dossiers.index", due="due_soon")),
        limited("awaiting", _("Chờ bạn xử lý, còn trong hạn"), rest, counts="waiting",
                total=max(awaiting.total - overdue.total - soon.total, len(rest)),
                empty=_("Không có hồ sơ nào khác chờ bạn."), more_url=link("dossiers.index", due="awaiting")),
        limited("arrivals", _("Hồ sơ mới đến, %(when)s", when=days.words()), arrivals, counts="news",
                empty=_("Không có hồ sơ mới."), more_url=link("dossiers.index"), total=rows.arrived),
        limited("expiring", _("Giấy chứng nhận hết hạn trong %(days)d ngày tới", days=EXPIRY_HORIZON_DAYS),
                _expiring_lines(rows.expiring, today), empty=_("Không có."),
                more_url=link("dossiers.index", state="certified"), total=rows.expiring_total),
    ]


def _council_sections(user: User, today: date, days: Reported) -> list[Section]:
    return councils_sections([user], today, SECTION_LIMIT)[user.id]


def _on_time_rates(checks: dict) -> list[Line]:
    """First-level checks met on or before their due day, for the units the dashboard's figures keep (its busiest:
    the whole table of a nation's units is the reports page's)."""
    rates = [(unit_id, name, on_time, on_time + late) for unit_id, name, on_time, late, *_rest in checks["units"]]
    return [Line(str(unit_id), [name, _("%(met)d/%(total)d đúng hạn", met=met, total=total),
                                f"{round(100 * met / total)}%"]) for unit_id, name, met, total in rates if total]


def _overdue(user: User, today: date) -> tuple[list[Line], int]:
    """The first dossiers with an overdue deadline, whoever must act on it, and how many in all (the overview is the
    administrators': they see every dossier)."""
    dossiers = list(db.session.scalars(visible_dossiers(user, db.select(Dossier)).where(due_condition("overdue", today))
                                       .order_by(Dossier.id).limit(SECTION_LIMIT)
                                       .options(joinedload(Dossier.product), joinedload(Dossier.review_unit))))
    return _lines_with_deadlines(dossiers, next_deadlines(dossiers, today),
                                 lambda d: d.review_unit.name if d.review_unit else ""), count_all_due("overdue", today)


def _admin_sections(user: User, today: date, _days: Reported, overview: list[Section] | None = None,
                    awaiting: QueuePage | None = None) -> list[Section]:
    """What waits for the administrator's province, then the overview (`overview`: built for another administrator
    of the batch already; every administrator sees every dossier, so it is the same for all; `awaiting`: the
    province's page read for the batch's administrators at once)."""
    if awaiting is None:
        awaiting = dossier_queue(user, QueueFilters(due="awaiting"), today=today, per_page=SECTION_LIMIT)
    return [limited("awaiting", _("Chờ cấp tỉnh xử lý"), _queue_lines(awaiting), total=awaiting.total,
                    counts="waiting", empty=_("Không có hồ sơ nào chờ cấp tỉnh."),
                    more_url=link("dossiers.index", due="awaiting")),
            *(overview if overview is not None else _admin_overview(user, today))]


def _admin_overview(user: User, today: date) -> list[Section]:
    """The overdue dossiers (live), then the dashboard's kept figures for every dossier (reports/snapshots.py: the
    same counts, read from one row instead of counting 100,000 dossiers for each preview), with when they were taken."""
    snapshot = dashboard_snapshot(user, ReportFilters(), today)
    figures = snapshot.figures
    states, stars = figures["states"], sorted((int(star), count) for star, count in figures["stars"].items())
    checks = figures["first_level_checks"]
    overdue, overdue_total = _overdue(user, today)
    return [
        limited("overdue", _("Hồ sơ quá hạn"), overdue, total=overdue_total, counts="news",
                empty=_("Không có hồ sơ quá hạn."), more_url=link("dossiers.index")),
        Section("by_state", _("Hồ sơ theo trạng thái (tổng %(total)d, số liệu lúc %(moment)s)",
                              total=sum(states.values()), moment=moment(snapshot.taken_at)),
                [Line(s, [str(STATE_LABELS[s]), str(states[s])]) for s in STATES if states.get(s)],
                _("Chưa có hồ sơ.")),
        Section("by_star", _("Sản phẩm OCOP còn hiệu lực theo hạng sao"),
                [Line(str(star), ["★" * star, ngettext("%(num)d sao", "%(num)d sao", star), str(count)])
                 for star, count in stars if count], _("Chưa có sản phẩm được công nhận.")),
        Section("on_time", _("Thẩm định cấp cơ sở đúng hạn, theo đơn vị"), _on_time_rates(checks),
                _("Chưa có hồ sơ nào hoàn thành thẩm định."), total=checks["total"], more_url=link("reports.dashboard")),
    ]


ROLE_SECTIONS: dict[str, Callable[[User, date, Reported], list[Section]]] = {
    "producer": producer_sections, "officer": _officer_sections, "council_member": _council_sections,
    "admin": _admin_sections}


def _intro(user: User, today: date) -> str:
    when = day(today)
    if user.role == "producer":
        return _("Tình hình hồ sơ OCOP của %(name)s đến ngày %(day)s.", name=user.organisation.name if user.organisation else "", day=when)
    if user.role == "council_member":
        return _("Hồ sơ Hội đồng đánh giá của bạn đang chấm, đến ngày %(day)s.", day=when)
    unit = user.unit.name if user.unit else ""
    if user.role == "admin":
        return _("Toàn cảnh OCOP của %(unit)s đến ngày %(day)s.", unit=unit, day=when)
    return _("Công việc thẩm định của %(unit)s đến ngày %(day)s.", unit=unit, day=when)


def _subject(period: str, today: date, days: Reported, waiting: int) -> str:
    if period == "weekly":
        when = _("Tóm tắt tuần %(days)s", days=days.words())
    else:
        when = _("Tóm tắt ngày %(day)s", day=day(today))
    tasks = ngettext("%(num)d việc chờ bạn", "%(num)d việc chờ bạn", waiting) if waiting else _("không có việc chờ bạn")
    return f"[OCOP] {when}: {tasks}"


def _scope(user: User, today: date, days: Reported) -> tuple | None:
    """What an officer's or administrator's sections depend on: they see and wait by unit, not by person, so the
    people of one unit (a province's officers) share them; None for a producer or a council member (their own
    organisation, their own seats)."""
    if user.role not in ("officer", "admin"):
        return None
    return user.role, user.unit_id, user.locale or "vi", today, days.since, days.until


def reported(today: date, since: date, period: str | None = None) -> tuple[str, Reported]:
    """The period (guessed from `since` when not given) and the days whose news it reports."""
    period = period or ("daily" if today - since <= timedelta(days=1) else "weekly")
    return period, Reported(since, min(today, since + timedelta(days=PERIOD_DAYS[period])))


def batch_sections(users: list[User], today: date, days: Reported) -> dict[int, list[Section]]:
    """The sections of many recipients of one language (call it in that locale), by user id: the officers of a
    unit of their own (officers.py) in a few statements for the whole batch; the others one by one, the people of
    one scope (a province's officers) sharing theirs."""
    scoped, provincial = unit_scoped(users), province_scoped(users)
    given = {"limit": SECTION_LIMIT, "horizon": EXPIRY_HORIZON_DAYS, "arrival_events": ARRIVAL_EVENTS}
    rows = unit_rows(list({unit.id: unit for unit in scoped.values()}.values()), today, days, **given)
    rows |= province_rows(list({unit.id: unit for unit in provincial.values()}.values()), today, days, **given)
    scoped |= provincial
    by_unit = {unit_id: _officer_section_list(unit, today, days) for unit_id, unit in rows.items()}
    found = {user_id: by_unit[unit.id] for user_id, unit in scoped.items()}
    found |= councils_sections([u for u in users if u.role == "council_member"], today, SECTION_LIMIT)
    producers = [u for u in users if u.role == "producer"]
    for start in range(0, len(producers), PRODUCER_CHUNK):  # their listed rows' documents: ~60 each, all versions
        found |= producers_sections(producers[start:start + PRODUCER_CHUNK], today, days)
    shared: dict[tuple, list[Section]] = {}
    overview: list[Section] | None = None
    admins = admin_scoped(users)
    pages = admin_pages(list({unit.id: unit for unit in admins.values()}.values()), today, SECTION_LIMIT)
    for user in users:
        if user.id in found:
            continue
        scope = _scope(user, today, days)
        sections = shared.get(scope) if scope is not None else None
        if sections is None and user.role == "admin":
            overview = overview if overview is not None else _admin_overview(user, today)
            province = admins.get(user.id)
            sections = _admin_sections(user, today, days, overview, pages[province.id] if province else None)
        elif sections is None:
            sections = ROLE_SECTIONS[user.role](user, today, days)
        if scope is not None:
            shared[scope] = sections
        found[user.id] = sections
    return found


def build_summary(user: User, today: date, since: date, period: str | None = None,
                  sections: list[Section] | None = None) -> Summary:
    """The user's summary in their language, from what they may see: waiting work, deadlines, news since `since`.
    `sections`: built already for a whole batch (`send-summaries`, in the user's locale); else a batch of one."""
    period, days = reported(today, since, period)
    with force_locale(user.locale or "vi"):
        if sections is None:
            sections = batch_sections([user], today, days)[user.id]
        waiting = sum(s.size for s in sections if s.counts == "waiting")
        subject = _subject(period, today, days, waiting)
        text, html = mail_parts(user, subject=subject, intro=_intro(user, today), sections=sections,
                                links=[(_("Xem bản tóm tắt trên trang"), link("summaries.me"))])
    return Summary(subject, text, html, sections, waiting, sum(s.size for s in sections if s.counts == "news"))


def summary_for(user: User, today: date, period: str = "daily") -> Summary:
    """The summary the period's command would send today."""
    return build_summary(user, today, period_bounds(period, today)[1], period)
