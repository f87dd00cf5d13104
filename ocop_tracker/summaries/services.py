"""Status summaries: per recipient and role, what waits for them, what is due and what changed, as text and HTML."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import Select
from sqlalchemy.orm import defer, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from ..accounts.models import AdministrativeUnit, User
from ..clock import local_day
from ..deadlines.models import Deadline as DeadlineRow
from ..deadlines.queries import due_condition, next_deadlines
from ..documents.services import document_checklist
from ..dossiers.guards import EventInput
from ..dossiers.models import Dossier, TransitionRecord
from ..dossiers.permissions import can_edit_dossier, can_record_vietgap, visible_dossiers
from ..dossiers.placement import dossier_rules
from ..dossiers.queries import QueueFilters, QueuePage, dossier_queue, queue_counts
from ..extensions import db
from ..i18n import day
from ..labels import EVENT_LABELS, STATE_LABELS, missing_label
from ..products.models import Product, ProductSet
from ..registry.models import Certificate
from ..reviews.models import CouncilMember, EvaluationRound, Score
from ..workflow import HOLDING_CERTIFICATE, PRODUCER, STATES, WAITING_FOR
from .closing import ready_to_close
from .held import Held, held_by
from .lines import (  # noqa: F401
    PERIOD_DAYS,
    PERIODS,
    SECTION_LIMIT,
    Line,
    Reported,
    Section,
    day_start,
    deadline_text,
    dossier_line,
    limited,
    link,
    mail_parts,
    period_bounds,
)
from .officers import (
    UnitRows,
    admin_pages,
    admin_scoped,
    first_per,
    province_rows,
    province_scoped,
    unit_rows,
    unit_scoped,
)
from .plans import plan_notes, plans_for_lists

EXPIRY_HORIZON_DAYS = 180
# What the producer hears about: the officers' and the council's decisions, and the certificate's fate.
DECISION_EVENTS = ("verify_vietgap", "return", "forward", "admit", "close_rating", "recognise", "decide", "revoke",
                   "expire")
ARRIVAL_EVENTS = ("submit", "resubmit")
# Deadlines the producer must meet (the others are the officers' and the council's).
PRODUCER_DEADLINES = ("re_rating_filing", "certificate_expiry", "vietgap_expiry")
PRODUCER_CHUNK = 100  # producers whose rows are read together (memory: a batch of 500 read at once took +100 MiB)


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


_PRODUCT_LOADED = joinedload(Dossier.product).joinedload(Product.organisation)
# A listed event's or certificate's dossier shows its number and product, never its rules: ~1.4 KB of JSON a row
# not decoded (at 100,000 dossiers, decoding the snapshots of every row read took a quarter of the run).
_RECORD_LOADED = joinedload(TransitionRecord.dossier).options(defer(Dossier.rules_snapshot), _PRODUCT_LOADED)


def _history(user: User, days: Reported, events: tuple[str, ...]) -> tuple[list[TransitionRecord], int]:
    """Events of the user's dossiers on the reported days: the first ones and how many in all."""
    statement = visible_dossiers(user, db.select(TransitionRecord)
                                 .join(Dossier, TransitionRecord.dossier_id == Dossier.id))
    return _first_rows(statement.where(
        TransitionRecord.event.in_(events), TransitionRecord.at >= day_start(days.since),
        TransitionRecord.at < day_start(days.until)).order_by(TransitionRecord.at, TransitionRecord.id)
        .options(_RECORD_LOADED))


def _event_line(record: TransitionRecord, *notes: str) -> Line:
    dossier = record.dossier
    return Line(str(record.id), [day(local_day(record.at)), f"#{dossier.id}", dossier.product.name],
                [note for note in notes if note], link("dossiers.show", dossier_id=dossier.id))


def _certificate_text(certificate: Certificate | None) -> str:
    if certificate is None:
        return ""
    return _("Giấy chứng nhận %(code)s, %(stars)s, có hiệu lực đến hết ngày %(day)s", code=certificate.code,
             stars="★" * certificate.star, day=day(certificate.expires_on))


def _issued_certificates(records: list[TransitionRecord]) -> dict[tuple[int, int | None], Certificate]:
    """The certificate of each listed event's round, read in one statement: (dossier id, round number) → it."""
    dossier_ids = {r.dossier_id for r in records if r.to_state == "certified"}
    if not dossier_ids:
        return {}
    rows = db.session.execute(
        db.select(EvaluationRound.dossier_id, EvaluationRound.number, Certificate)
        .join(EvaluationRound, Certificate.round_id == EvaluationRound.id)
        .where(EvaluationRound.dossier_id.in_(dossier_ids)).order_by(Certificate.id.desc()))
    found: dict[tuple[int, int | None], Certificate] = {}
    for dossier_id, number, certificate in rows:
        found.setdefault((dossier_id, number), certificate)
    return found


def _decision_lines(records: list[TransitionRecord], issued: dict[tuple[int, int | None], Certificate]) -> list[Line]:

    def line(record: TransitionRecord) -> Line:
        outcome = f"{EVENT_LABELS[record.event]} → {STATE_LABELS[record.to_state]}"
        comment = _("Ghi chú: %(text)s", text=record.comment) if record.comment else ""
        note = _certificate_text(issued.get((record.dossier_id, record.round_number))) \
            if record.to_state == "certified" else ""
        return _event_line(record, outcome, comment, note)

    return [line(r) for r in records]


def _missing(user: User, dossier: Dossier, today: date, held: Held) -> str:
    """What the producer still has to provide, in words: documents absent, expired or to supplement, and VietGAP."""
    rules, items = dossier_rules(dossier), []
    if can_edit_dossier(user, dossier):
        for item in document_checklist(dossier, rules, today, held.documents.get(dossier.id, {}), held.checks):
            if item.status == "in_progress" or (item.required and item.status == "not_started"):
                asked = item.check.note if item.check and item.check.outcome == "needs_supplement" else ""
                items.append(f"{missing_label(item.kind)} ({asked})" if asked else missing_label(item.kind))
    vietgap_stage = rules.has_vietgap_stage(dossier.product.product_set.number)
    if vietgap_stage and can_record_vietgap(user, dossier):  # as the dossier page offers it
        record = held.vietgap.get(dossier.id)
        items += [] if record and record.valid_on(today) else [missing_label("vietgap_certificate")]
    return _("Còn thiếu: %(items)s", items="; ".join(dict.fromkeys(items))) if items else ""


def _return_reasons(dossiers: list[Dossier]) -> dict[int, str]:
    """The comment of the last `return` of each returned dossier listed, in one statement (its history was read
    dossier by dossier)."""
    returned = [d.id for d in dossiers if d.state == "returned"]
    if not returned:
        return {}
    reasons: dict[int, str] = {}
    for dossier_id, comment in db.session.execute(
            db.select(TransitionRecord.dossier_id, TransitionRecord.comment)
            .where(TransitionRecord.dossier_id.in_(returned), TransitionRecord.event == "return")
            .order_by(TransitionRecord.id)):
        reasons[dossier_id] = comment
    return reasons


def _producer_line(user: User, dossier: Dossier, deadline, today: date, held: Held, plans: dict,
                   reasons: dict[int, str]) -> Line:
    certificate = held.certificates.get(dossier.id) if dossier.state in HOLDING_CERTIFICATE else None
    reason = _("Lý do trả lại: %(text)s", text=reasons[dossier.id]) if dossier.id in reasons else ""
    notes = (_certificate_text(certificate), deadline_text(deadline), reason,
             _missing(user, dossier, today, held), *plan_notes(plans.get(dossier.id)))
    return dossier_line(dossier, notes=notes)


def _load_rules(dossiers: list[Dossier]) -> None:
    """The rules snapshots of these dossiers (read deferred), in one statement, as if loaded with them."""
    if not dossiers:
        return
    by_id = {d.id: d for d in dossiers}
    for dossier_id, snapshot in db.session.execute(
            db.select(Dossier.id, Dossier.rules_snapshot).where(Dossier.id.in_(by_id))):
        set_committed_value(by_id[dossier_id], "rules_snapshot", snapshot)


def _producer_sections(user: User, today: date, days: Reported) -> list[Section]:
    return _producers_sections([user], today, days)[user.id]


def _producers_sections(users: list[User], today: date, days: Reported) -> dict[int, list[Section]]:
    """Producers' sections, by user id, for a whole batch in a constant number of statements (but the plans, a few
    statements for each of an organisation's first PLAN_LIMIT plannable rows): a producer sees their organisation's
    dossiers (visible_dossiers), so the producers of one organisation share them."""
    if not users:
        return {}
    organisations = {u.organisation_id: u for u in users}  # one producer speaks for their organisation
    dossiers: dict[int | None, list[Dossier]] = defaultdict(list)
    for dossier in db.session.scalars(
            db.select(Dossier).join(Product, Dossier.product_id == Product.id)
            .where(Product.organisation_id.in_([o for o in organisations if o is not None])).order_by(Dossier.id)
            .options(_PRODUCT_LOADED, defer(Dossier.rules_snapshot),
                     joinedload(Dossier.product).joinedload(Product.product_set).joinedload(ProductSet.group))):
        dossiers[dossier.product.organisation_id].append(dossier)
    deadlines = next_deadlines([d for ds in dossiers.values() for d in ds], today)
    split: dict[int | None, tuple[list[Dossier], list[Dossier]]] = {}
    for organisation_id in organisations:
        waiting: list[Dossier] = []
        others: list[Dossier] = []
        for dossier in dossiers.get(organisation_id, []):
            deadline = deadlines[dossier.id]
            pressing = deadline is not None and deadline.status in ("due_soon", "overdue") \
                and deadline.kind in PRODUCER_DEADLINES
            (waiting if WAITING_FOR.get(dossier.state) == PRODUCER or pressing else others).append(dossier)
        split[organisation_id] = waiting, others
    listed = [d for waiting, others in split.values() for d in waiting[:SECTION_LIMIT] + others[:SECTION_LIMIT]]
    _load_rules(listed)  # the lines' notes and plans read the rules of the rows listed, not of every row counted
    held, reasons = held_by(listed), _return_reasons(listed)  # the notes cost statements: only for the rows listed
    plans = plans_for_lists([waiting[:SECTION_LIMIT] + others[:SECTION_LIMIT]  # the first few listed
                             for waiting, others in split.values()])
    decisions = first_per(
        db.select(TransitionRecord).join(Dossier, TransitionRecord.dossier_id == Dossier.id)
        .join(Product, Dossier.product_id == Product.id).where(
            Product.organisation_id.in_([o for o in organisations if o is not None]),
            TransitionRecord.event.in_(DECISION_EVENTS), TransitionRecord.at >= day_start(days.since),
            TransitionRecord.at < day_start(days.until)),
        TransitionRecord, Product.organisation_id, (TransitionRecord.at, TransitionRecord.id), SECTION_LIMIT,
        _RECORD_LOADED)
    issued = _issued_certificates([r for records, _total in decisions.values() for r in records])
    everything = link("dossiers.index")
    by_organisation = {}
    for organisation_id, user in organisations.items():
        waiting, others = split[organisation_id]
        records, decided = decisions.get(organisation_id, ([], 0))

        def lines(shown: list[Dossier], user=user) -> list[Line]:
            return [_producer_line(user, d, deadlines[d.id], today, held, plans, reasons)
                    for d in shown[:SECTION_LIMIT]]

        by_organisation[organisation_id] = [
            limited("waiting", _("Việc chờ bạn"), lines(waiting), empty=_("Không có hồ sơ nào chờ bạn."),
                    more_url=everything, counts="waiting", total=len(waiting)),
            limited("dossiers", _("Các hồ sơ khác"), lines(others), empty=_("Không có."), more_url=everything,
                    total=len(others)),
            limited("decisions", _("Quyết định mới, %(when)s", when=days.words()), _decision_lines(records, issued),
                    empty=_("Không có quyết định mới."), counts="news", total=decided)]
    return {u.id: by_organisation[u.organisation_id] for u in users}


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
    arrivals = [_event_line(r, r.dossier.organisation.name, str(EVENT_LABELS[r.event])) for r in rows.arrivals]
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
    return _councils_sections([user], today, days)[user.id]


def _councils_sections(users: list[User], today: date, _days: Reported) -> dict[int, list[Section]]:
    """Council members' sections, by user id, for a whole batch in seven statements: a member sees the files of
    their councils (visible_dossiers), scores those they have not scored in this round, and a chair closes those
    whose quorum has scored."""
    if not users:
        return {}
    councils: dict[int, set[int]] = defaultdict(set)
    chaired: dict[int, set[int]] = defaultdict(set)  # the seats read once; ready_to_close reads the councils' seats
    for user_id, council_id, is_chair in db.session.execute(
            db.select(CouncilMember.user_id, CouncilMember.council_id, CouncilMember.is_chair)
            .where(CouncilMember.user_id.in_([u.id for u in users]))):
        councils[user_id].add(council_id)
        if is_chair:
            chaired[user_id].add(council_id)
    rating = list(db.session.scalars(
        db.select(Dossier).where(Dossier.state == "star_rating",
                                 Dossier.rating_council_id.in_({c for cs in councils.values() for c in cs}))
        .order_by(Dossier.id).options(_PRODUCT_LOADED)))
    deadlines = next_deadlines(rating, today)
    scored = {tuple(row) for row in db.session.execute(  # a score of this round, not an earlier one
        db.select(Score.member_id, EvaluationRound.dossier_id, EvaluationRound.number)
        .join(Score, Score.round_id == EvaluationRound.id)
        .where(Score.member_id.in_([u.id for u in users]), EvaluationRound.dossier_id.in_(deadlines)))}
    chairs = {c for cs in chaired.values() for c in cs}
    closable = {d.id for d in ready_to_close([d for d in rating if d.rating_council_id in chairs],
                                             EventInput(actor=users[0], today=today))}
    by_council: dict[int | None, list[Dossier]] = defaultdict(list)
    for dossier in rating:
        by_council[dossier.rating_council_id].append(dossier)
    found = {}
    for user in users:
        mine = sorted((d for c in councils[user.id] for d in by_council[c]), key=lambda d: d.id)
        unscored = [d for d in mine if (user.id, d.id, d.round_number) not in scored]
        to_score = [dossier_line(d, d.organisation.name, notes=(deadline_text(deadlines[d.id]),),
                                 endpoint="reviews.score") for d in unscored[:SECTION_LIMIT]]  # lines for those listed
        ready = [d for d in mine if d.rating_council_id in chaired[user.id] and d.id in closable]
        to_close = _lines_with_deadlines(ready[:SECTION_LIMIT], deadlines, lambda d: d.organisation.name)
        sections = [limited("to_score", _("Chờ bạn chấm điểm"), to_score, counts="waiting", total=len(unscored),
                            empty=_("Không có hồ sơ nào chờ bạn chấm điểm."), more_url=link("dossiers.index"))]
        if to_close:  # only a chair closes a rating, once the quorum has scored
            sections.append(limited("to_close", _("Đủ phiếu chấm, chờ bạn kết thúc chấm điểm"), to_close,
                                    counts="waiting", more_url=link("dossiers.index"), total=len(ready)))
        found[user.id] = sections
    return found


def _on_time_rates(user: User) -> list[Line]:
    """First-level checks met on or before their due day, per reviewing unit."""
    on_time = db.func.sum(db.case((DeadlineRow.met_on <= DeadlineRow.due_on, 1), else_=0))
    statement = visible_dossiers(user, db.select(AdministrativeUnit.id, AdministrativeUnit.name, on_time,
                                                 db.func.count(DeadlineRow.id)).select_from(DeadlineRow)
                                 .join(Dossier, DeadlineRow.dossier_id == Dossier.id)
                                 .join(AdministrativeUnit, Dossier.review_unit_id == AdministrativeUnit.id))
    rows = db.session.execute(statement.where(
        DeadlineRow.kind == "first_level_check", DeadlineRow.met_on.is_not(None), DeadlineRow.due_on.is_not(None))
        .group_by(AdministrativeUnit.id, AdministrativeUnit.name)
        .order_by(AdministrativeUnit.name, AdministrativeUnit.id))  # units of one name: in no order without the id
    return [Line(str(unit_id), [name, _("%(met)d/%(total)d đúng hạn", met=met, total=total),
                                f"{round(100 * met / total)}%"]) for unit_id, name, met, total in rows]


def _overdue(user: User, today: date) -> tuple[list[Line], int]:
    """The first dossiers with an overdue deadline, whoever must act on it, and how many in all."""
    dossiers, total = _first_rows(visible_dossiers(user, db.select(Dossier)).where(due_condition("overdue", today))
                                  .order_by(Dossier.id)
                                  .options(joinedload(Dossier.product), joinedload(Dossier.review_unit)))
    return _lines_with_deadlines(dossiers, next_deadlines(dossiers, today),
                                 lambda d: d.review_unit.name if d.review_unit else ""), total


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
    states = dict(db.session.execute(visible_dossiers(user, db.select(Dossier.state, db.func.count(Dossier.id)))
                                     .group_by(Dossier.state)).all())
    stars = db.session.execute(visible_dossiers(user, db.select(Certificate.star, db.func.count(Certificate.id))
                                                .join(Dossier, Certificate.dossier_id == Dossier.id))
                               .where(Certificate.status == "valid").group_by(Certificate.star)
                               .order_by(Certificate.star))
    overdue, overdue_total = _overdue(user, today)
    return [
        limited("overdue", _("Hồ sơ quá hạn"), overdue, total=overdue_total, counts="news",
                empty=_("Không có hồ sơ quá hạn."), more_url=link("dossiers.index")),
        Section("by_state", _("Hồ sơ theo trạng thái (tổng %(total)d)", total=sum(states.values())),
                [Line(s, [str(STATE_LABELS[s]), str(states[s])]) for s in STATES if states.get(s)],
                _("Chưa có hồ sơ.")),
        Section("by_star", _("Sản phẩm OCOP còn hiệu lực theo hạng sao"),
                [Line(str(star), ["★" * star, ngettext("%(num)d sao", "%(num)d sao", star), str(count)])
                 for star, count in stars], _("Chưa có sản phẩm được công nhận.")),
        Section("on_time", _("Thẩm định cấp cơ sở đúng hạn, theo đơn vị"), _on_time_rates(user),
                _("Chưa có hồ sơ nào hoàn thành thẩm định.")),
    ]


ROLE_SECTIONS: dict[str, Callable[[User, date, Reported], list[Section]]] = {
    "producer": _producer_sections, "officer": _officer_sections, "council_member": _council_sections,
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
    given = {"limit": SECTION_LIMIT, "horizon": EXPIRY_HORIZON_DAYS, "arrival_events": ARRIVAL_EVENTS,
             "record_loaded": _RECORD_LOADED}
    rows = unit_rows(list({unit.id: unit for unit in scoped.values()}.values()), today, days, **given)
    rows |= province_rows(list({unit.id: unit for unit in provincial.values()}.values()), today, days, **given)
    scoped |= provincial
    by_unit = {unit_id: _officer_section_list(unit, today, days) for unit_id, unit in rows.items()}
    found = {user_id: by_unit[unit.id] for user_id, unit in scoped.items()}
    found |= _councils_sections([u for u in users if u.role == "council_member"], today, days)
    producers = [u for u in users if u.role == "producer"]
    for start in range(0, len(producers), PRODUCER_CHUNK):  # their listed rows' documents: ~60 each, all versions
        found |= _producers_sections(producers[start:start + PRODUCER_CHUNK], today, days)
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
