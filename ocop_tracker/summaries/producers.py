"""The producers' sections of a status summary, for many organisations at once: their dossiers (waiting for them
or not), each listed row's notes (certificate, deadline, return reason, what is missing, the upgrade plan) and the
decisions of the reported days, in a constant number of statements whatever the organisations hold."""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from flask_babel import gettext as _
from sqlalchemy.orm import defer, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from ..accounts.models import User
from ..deadlines.queries import next_deadlines
from ..documents.services import document_checklist
from ..dossiers.models import Dossier, TransitionRecord
from ..dossiers.permissions import can_edit_dossier, can_record_vietgap
from ..dossiers.placement import dossier_rules
from ..extensions import db
from ..i18n import day
from ..labels import EVENT_LABELS, STATE_LABELS, missing_label
from ..products.models import Product, ProductSet
from ..registry.models import Certificate
from ..reviews.models import EvaluationRound
from ..workflow import HOLDING_CERTIFICATE, PRODUCER, WAITING_FOR
from .held import Held, held_by
from .lines import (
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
)
from .officers import first_per
from .plans import plan_notes, plans_for_lists

# What the producer hears about: the officers' and the council's decisions, and the certificate's fate.
DECISION_EVENTS = ("verify_vietgap", "return", "forward", "admit", "close_rating", "recognise", "decide", "revoke",
                   "expire")
# Deadlines the producer must meet (the others are the officers' and the council's).
PRODUCER_DEADLINES = ("re_rating_filing", "certificate_expiry", "vietgap_expiry")
PRODUCER_CHUNK = 100  # producers whose rows are read together (memory: a batch of 500 read at once took +100 MiB)


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
        return event_line(record, outcome, comment, note)

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


def producer_sections(user: User, today: date, days: Reported) -> list[Section]:
    return producers_sections([user], today, days)[user.id]


def producers_sections(users: list[User], today: date, days: Reported) -> dict[int, list[Section]]:
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
            .options(PRODUCT_LOADED, defer(Dossier.rules_snapshot),
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
        RECORD_LOADED)
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
