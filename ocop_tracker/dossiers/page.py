"""What the dossier page shows: tasks, progress, deadline, the user's buttons and the history."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from flask import url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice

from ..accounts.models import AdministrativeUnit, User
from ..activity.services import dossier_activity
from ..deadlines.page import deadline_panel
from ..deadlines.queries import next_deadline
from ..documents.services import current_vietgap, document_checklist
from ..extensions import db
from ..forms_base import select_choices
from ..i18n import day
from ..labels import DOCUMENT_KIND_LABELS
from ..products.models import ProductSet
from ..registry.services import current_certificate
from ..reviews.models import EvaluationBatch
from ..reviews.services import current_round, dossier_rounds
from ..reviews.sheet_scoring import marks_by_criterion, round_sheet
from ..rules.rulesets import RuleSet, get_rule_set
from ..workflow import MAIN_ROAD, OFF_ROAD
from .assignment import candidate_officers
from .forms import AssignmentForm, EventForm, QueueFilterForm, event_form
from .guards import flagged_documents, re_rating_dates
from .messages import re_rating_window_message
from .models import Dossier
from .permissions import (
    allowed_events,
    can_assign,
    can_be_assigned,
    can_edit_dossier,
    can_filter_by_assignee,
    can_record_vietgap,
    can_view,
)
from .placement import dossier_rules, province_of
from .queries import UNASSIGNED, QueueFilters, queue_counts

# Events that take a form of their own on the page (the rest are one-click buttons).
DANGEROUS_EVENTS = frozenset({"withdraw", "revoke", "return", "cancel_round"})
SUBMIT_EVENTS = frozenset({"submit", "resubmit"})


@dataclass(frozen=True)
class Task:
    """One line of the producer's task list (GOV.UK "complete multiple tasks")."""

    name: str
    url: str | None
    status: str  # not_started, in_progress, completed, cannot_start, optional


def _progress(dossier: Dossier, rules: RuleSet, vietgap_stage: bool) -> list[tuple[str, str]]:
    """The main road as this round's rules run it: a provincial step (commune era, or sent up), the national one."""
    visited = {dossier.state} | {r.to_state for r in dossier.history if r.round_number == dossier.round_number}
    road = [s for s in MAIN_ROAD if (s != "vietgap" or vietgap_stage)
            and (s != "provincial_review" or not rules.first_level_has_council or s in visited)
            and (s != "central_review" or s in visited)]
    here = {**OFF_ROAD, "returned": dossier.returned_from or "district_review"}.get(dossier.state, dossier.state)
    position = road.index(here) if here in road else -1
    return [(state, "done" if i < position else "current" if i == position else "todo")
            for i, state in enumerate(road)]


def _tasks(dossier: Dossier, user: User, checklist, vietgap_stage: bool, vietgap, evaluation) -> list[Task]:
    def link(endpoint: str, allowed: bool) -> str | None:
        return url_for(endpoint, dossier_id=dossier.id) if allowed else None
    editable, product = can_edit_dossier(user, dossier), dossier.product
    tasks = [Task(str(_l("Thông tin sản phẩm")), link("dossiers.product", editable),
                  "completed" if product.name and product.description else "in_progress")]
    required = [item for item in checklist if item.required]
    done = sum(item.status == "completed" for item in required)
    tasks.append(Task(str(_l("Tài liệu bắt buộc (%(done)d/%(total)d)", done=done, total=len(required))),
                      url_for("documents.index", dossier_id=dossier.id),
                      "completed" if done == len(required) else "in_progress" if done else "not_started"))
    if vietgap_stage:  # VietGAP earns points; it never holds a filing back
        tasks.append(Task(str(_l("Giấy chứng nhận VietGAP (nếu có)")),
                          link("dossiers.vietgap", can_record_vietgap(user, dossier)),
                          "completed" if vietgap else "optional"))
    tasks.append(_self_assessment_task(dossier, evaluation, link("dossiers.self_assessment", editable)))
    ready = all(t.status in ("completed", "optional") for t in tasks)
    tasks.append(Task(str(_l("Kiểm tra lại và nộp hồ sơ")),
                      link("dossiers.check_answers", editable and ready),
                      "not_started" if ready else "cannot_start"))
    return tasks


def _self_assessment_task(dossier: Dossier, evaluation, url: str | None) -> Task:
    """Optional either way: three totals, or the official sheet with how many criteria are ticked so far."""
    sheet = round_sheet(evaluation, dossier)
    if sheet is None:
        return Task(str(_l("Tự đánh giá phần A/B/C (không bắt buộc)")), url,
                    "completed" if evaluation.self_part_a is not None else "optional")
    done, total = len(marks_by_criterion(None, evaluation)), len(sheet.criteria)
    return Task(str(_l("Tự đánh giá theo phiếu chấm điểm: %(done)d/%(total)d tiêu chí (không bắt buộc)",
                       done=done, total=total)), url, "completed" if done == total else "optional")


def re_rating_out_of_window(dossier: Dossier, rules: RuleSet, today: date) -> tuple[date, date] | None:
    """A re-rating being prepared outside its filing window: the window's first and last day; None otherwise."""
    window = re_rating_dates(dossier, rules) if dossier.state == "re_rating" else None
    return window if window is not None and not window[0] <= today <= window[1] else None


def _event_forms(dossier: Dossier, user: User, submitted: dict[str, EventForm], today: date,
                 flagged: list[str], hidden: frozenset[str] = frozenset()) -> dict[str, EventForm]:
    """A form per event the user may fire here, but those the guards would refuse today (`hidden`); `decide` is
    recorded on a decision's form, not here."""
    forms = {}
    for event in allowed_events(user, dossier):
        if event == "decide" or event in hidden:
            continue
        form = submitted.get(event) or event_form(event)
        if "override" in form and not flagged:
            del form["override"]  # nothing flagged: nothing to override
        form.version.data = dossier.version  # the version this page shows
        if "batch_id" in form:
            form.batch_id.choices = batch_choices(dossier, today)
        forms[event] = form
    return forms


def return_reason_draft(checklist) -> str:
    """The return form's reason as the document review left it: each flagged document with the officer's note."""
    lines = [f"- {DOCUMENT_KIND_LABELS.get(item.kind, item.kind)}: {item.check.note}" for item in checklist
             if item.check is not None and item.check.outcome == "needs_supplement"]
    return "\n".join([str(_l("Đề nghị bổ sung:")), *lines]) if lines else ""


def batch_choices(dossier: Dossier, today: date) -> list[SelectChoice]:
    """The province's batches still admitting files; the first is the default of `admit`."""
    province = province_of(dossier)
    if province is None:
        return []
    batches = db.session.scalars(db.select(EvaluationBatch).filter_by(unit_id=province.id, closed_on=None).where(
        EvaluationBatch.filing_cutoff >= today).order_by(EvaluationBatch.filing_cutoff))
    return [SelectChoice(batch.id, str(_l("%(name)s — nộp đến %(cutoff)s, quyết định trước %(due)s", name=batch.name,
                                           cutoff=day(batch.filing_cutoff), due=day(batch.decision_due)))) for batch in batches]


def dossier_page_context(dossier: Dossier, user: User, today: date,
                         submitted: dict[str, EventForm] | None = None) -> dict:
    """Everything the dossier page and its check-answers page render."""
    rules = dossier_rules(dossier)
    vietgap_stage = rules.has_vietgap_stage(dossier.product.product_set.number)
    checklist = document_checklist(dossier, rules, today)
    vietgap, evaluation = current_vietgap(dossier), current_round(dossier)
    last_return = next((r for r in reversed(dossier.history) if r.event == "return"), None)
    flagged = flagged_documents(dossier)
    out_of_window = re_rating_out_of_window(dossier, rules, today)
    event_forms = _event_forms(dossier, user, submitted or {}, today, flagged,
                               frozenset({"submit"}) if out_of_window else frozenset())
    if "return" in event_forms and "return" not in (submitted or {}):
        event_forms["return"].comment.data = return_reason_draft(checklist)
    can_edit = can_edit_dossier(user, dossier)
    return {
        "dossier": dossier, "rules": rules, "today": today, "evaluation": evaluation,
        "checklist": checklist, "vietgap": vietgap, "vietgap_stage": vietgap_stage,
        "certificate": current_certificate(dossier), "deadline": next_deadline(dossier, today),
        "deadline_panel": deadline_panel(dossier, user, today),
        "progress": _progress(dossier, rules, vietgap_stage),
        "tasks": _tasks(dossier, user, checklist, vietgap_stage, vietgap, evaluation),
        "event_forms": event_forms, "can_edit": can_edit,
        # While preparing, submitting goes through the check-answers page, the task list's last step.
        "action_forms": {e: f for e, f in event_forms.items() if not (can_edit and e in SUBMIT_EVENTS)},
        "can_record_vietgap": can_record_vietgap(user, dossier),
        "can_decide": "decide" in allowed_events(user, dossier),
        "round_first_levels": {r.number: get_rule_set(r.rule_set).first_level
                               for r in dossier_rounds(dossier) if r.rule_set},
        "last_return": last_return if dossier.state == "returned" else None,
        "dangerous_events": DANGEROUS_EVENTS, "language": str(get_locale()), "flagged_documents": flagged,
        "re_rating_wait": re_rating_window_message(*out_of_window, today) if out_of_window else None,
        "activity": dossier_activity(dossier) if can_view(user, dossier) else [],
        "assignment_form": assignment_form(dossier, user, today),
    }


def assignment_form(dossier: Dossier, user: User, today: date) -> AssignmentForm | None:
    """The assignment form for those who may assign (its choices: the acting unit's officers); else None."""
    if not can_assign(user, dossier, today):
        return None
    form = AssignmentForm(data={"assignee": dossier.assignee_id or 0})
    form.assignee.choices = officer_choices(dossier, today)
    return form


def officer_choices(dossier: Dossier, today: date) -> list[SelectChoice]:
    return select_choices([(0, _l("— Chưa phân công —")), *(
        (officer.id, officer.full_name or officer.username) for officer in candidate_officers(dossier, today))])


def product_set_choices() -> list[SelectChoice]:
    name = "name_en" if str(get_locale()) == "en" else "name_vi"
    return [SelectChoice(ps.id, f"{ps.number}. {getattr(ps, name)}")
            for ps in db.session.scalars(db.select(ProductSet).order_by(ProductSet.number))]


def filter_choices(form: QueueFilterForm, user: User) -> tuple[int, ...]:
    """Product sets for everyone; units below the user's own unit for officers and administrators. Returns those
    units' ids (QueueFilters.scope)."""
    form.product_set.choices = select_choices([(0, _l("Mọi bộ sản phẩm"))]) + product_set_choices()
    units: list[AdministrativeUnit] = []
    if user.unit is not None:
        units = list(db.session.scalars(db.select(AdministrativeUnit).where(
            AdministrativeUnit.path.startswith(user.unit.path)).order_by(AdministrativeUnit.path)))
    form.unit.choices = select_choices([(0, _l("Mọi đơn vị")), *((u.id, u.name) for u in units)])
    form.assignee.choices = select_choices([("", _l("Mọi cán bộ")), ("me", _l("Giao cho tôi")),
                                            (UNASSIGNED, _l("Chưa phân công")), *_unit_officers(user)])
    return tuple(unit.id for unit in units)


def _unit_officers(user: User) -> list[tuple[str, str]]:
    """The officers of the user's own unit, whose queues a head of unit looks at."""
    if not can_filter_by_assignee(user) or user.unit_id is None:
        return []
    officers = db.session.scalars(db.select(User).where(User.role == "officer", User.unit_id == user.unit_id,
                                                        User.id != user.id).order_by(User.full_name, User.username))
    return [(str(officer.id), officer.full_name or officer.username) for officer in officers]


def read_queue_filters(args, user: User) -> tuple[QueueFilterForm, QueueFilters]:
    """The work queue's filters from a query string (the list page and its exports read them alike)."""
    form = QueueFilterForm(args)
    scope = filter_choices(form, user)
    if not form.validate():
        return form, QueueFilters(scope=scope)
    return form, QueueFilters(scope=scope, state=form.state.data or None, due=form.due.data or None,
                              product_set_id=form.product_set.data or None, unit_id=form.unit.data or None,
                              received_from=form.received_from.data, received_to=form.received_to.data,
                              q=(form.q.data or "").strip(), sort=form.sort.data or "updated",
                              assignee=assignee_filter(form.assignee.data, user))


def assignee_filter(value: str | None, user: User) -> int | str | None:
    """`me`, `none` or a user's id, as QueueFilters.assignee holds it."""
    if not value:
        return None
    if value == "me":
        return user.id
    return UNASSIGNED if value == UNASSIGNED else int(value)


@dataclass(frozen=True)
class QueueTab:
    """One tab above the work queue: its link's filters and how many dossiers it holds."""

    key: str
    label: str
    due: str
    assignee: str
    count: int | None

    def active(self, form: QueueFilterForm) -> bool:
        return (form.due.data or "", form.assignee.data or "") == (self.due, self.assignee)


TAB_LINKS = {"": ("", ""), "awaiting": ("awaiting", ""), "due_soon": ("due_soon", ""),
             "overdue": ("overdue", ""), "mine": ("awaiting", "me"), "unassigned": ("awaiting", UNASSIGNED)}
TAB_LABELS = {"": _l("Tất cả"), "awaiting": _l("Chờ tôi xử lý"), "due_soon": _l("Sắp đến hạn"),
              "overdue": _l("Quá hạn"), "mine": _l("Giao cho tôi"), "unassigned": _l("Chưa phân công")}


def tab_total(filters: QueueFilters, tabs: list[QueueTab], user: User) -> int | None:
    """The list's total when its filters are exactly one tab's (queue_tabs counted it already), else None: a tab's
    page does not count the same dossiers twice (issue 13: ~15 ms more at 100,000 for the admin)."""
    if replace(filters, due=None, assignee=None, sort="updated", scope=()) != QueueFilters():
        return None
    assignee = {None: "", UNASSIGNED: UNASSIGNED, user.id: "me"}.get(filters.assignee)
    return next((tab.count for tab in tabs if (tab.due, tab.assignee) == (filters.due or "", assignee)), None)


def queue_tabs(user: User, today: date, scope: tuple[int, ...] = ()) -> list[QueueTab]:
    """The queue's tabs with their counts (one statement); assignment tabs for officers only. `scope` as
    QueueFilters.scope."""
    counts = queue_counts(user, today, scope)
    shown = {"mine": can_be_assigned(user), "unassigned": can_filter_by_assignee(user)}
    return [QueueTab(key, str(TAB_LABELS[key]), *TAB_LINKS[key], counts.get(key))
            for key in TAB_LINKS if shown.get(key, True)]
