"""Dossier pages: the list and work queue, the task list, the producer's tasks and the workflow buttons."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import User
from ..clock import today
from ..commit_point import committed, flash_refusal, saved
from ..decisions.services import recognise_nationally
from ..documents.services import record_vietgap
from ..extensions import db
from ..labels import EVENT_LABELS
from ..products.models import ProductSet
from ..products.services import create_product
from ..query_args import page_arg
from ..reviews.services import current_round, record_self_assessment
from ..reviews.sheet_page import producer_sheet_form
from ..reviews.sheet_scoring import round_sheet
from ..workflow import EventNotAllowed
from .assignment import assign_dossier
from .filing import file_dossier
from .forms import AssignmentForm, ProductForm, SelfAssessmentForm, VietGapForm, event_form
from .kept_input import SESSION_KEY, keep_input, refill, take_input
from .messages import refusal_message  # noqa: F401  registers how a page says a workflow refusal
from .models import Dossier
from .page import (
    SUBMIT_EVENTS,
    batch_choices,
    dossier_page_context,
    officer_choices,
    product_set_choices,
    queue_tabs,
    read_queue_filters,
    tab_total,
)
from .permissions import (
    allowed_events,
    can_assign,
    can_edit_dossier,
    can_fire,
    can_open_dossier,
    can_record_vietgap,
    visible_dossiers,
)
from .placement import dossier_rules
from .queries import dossier_queue, visible_dossier_or_404
from .services import EVENT_READS, apply_event, edit_product_details, open_dossier

bp = Blueprint("dossiers", __name__)


@bp.get("/")
def index():
    form, filters = read_queue_filters(request.args, current_user)
    tabs = queue_tabs(current_user, today(), filters.scope)
    queue = dossier_queue(current_user, filters, today=today(), page=page_arg(),
                          per_page=current_app.config["DOSSIERS_PER_PAGE"],
                          total=tab_total(filters, tabs, current_user))
    return render_template("dossiers/index.html", queue=queue, form=form, args=request.args.to_dict(), tabs=tabs)


@bp.route("/dossiers/open", methods=["GET", "POST"])
def open():
    if not can_open_dossier(current_user):
        abort(403)
    form = ProductForm()
    form.product_set.choices = product_set_choices()
    if form.validate_on_submit():
        product = create_product(actor=current_user, name=form.name.data, description=form.description.data or "",
                                 product_set=db.get_or_404(ProductSet, form.product_set.data))
        dossier = open_dossier(product, actor=current_user)
        db.session.commit()
        flash(_("Đã tạo hồ sơ cho sản phẩm %(name)s.", name=product.name), "success")
        return redirect(url_for(".show", dossier_id=dossier.id))
    return render_template("dossiers/product.html", form=form, dossier=None)


@bp.get("/dossiers/<int:dossier_id>")
def show(dossier_id: int):
    dossier = visible_dossier_or_404(current_user, dossier_id)
    return render_template("dossiers/show.html", **dossier_page_context(dossier, current_user, today(),
                                                                           submitted=refused_event_form(dossier_id)))


@bp.route("/dossiers/<int:dossier_id>/product", methods=["GET", "POST"])
def product(dossier_id: int):
    dossier = _editable(dossier_id, can_edit_dossier)
    product = dossier.product
    form = _kept_or_new(f"product:{dossier_id}", lambda **formdata: ProductForm(data={
        "name": product.name, "product_set": product.product_set_id, "description": product.description}, **formdata))
    form.product_set.choices = product_set_choices()
    if form.validate_on_submit():
        return _saved_or_back(form, f"product:{dossier_id}", ".product", dossier_id, lambda: edit_product_details(
            dossier, actor=current_user, name=form.name.data, description=form.description.data or "",
            product_set=db.get_or_404(ProductSet, form.product_set.data)))
    return render_template("dossiers/product.html", form=form, dossier=dossier)


@bp.route("/dossiers/<int:dossier_id>/self-assessment", methods=["GET", "POST"])
def self_assessment(dossier_id: int):
    dossier = _editable(dossier_id, can_edit_dossier)
    evaluation = current_round(dossier)
    sheet = round_sheet(evaluation, dossier)
    if sheet is not None:
        return _self_assessment_on_sheet(dossier, evaluation, sheet)
    form = _kept_or_new(f"self_assessment:{dossier_id}", lambda **formdata: SelfAssessmentForm(
        data={"part_a": evaluation.self_part_a, "part_b": evaluation.self_part_b, "part_c": evaluation.self_part_c}
        if request.method == "GET" else None, **formdata))
    parts = {"A": form.part_a.data, "B": form.part_b.data, "C": form.part_c.data}
    if form.validate_on_submit():
        return _saved_or_back(form, f"self_assessment:{dossier_id}", ".self_assessment", dossier_id,
                              lambda: record_self_assessment(dossier, actor=current_user, parts=parts))
    return render_template("dossiers/self_assessment.html", form=form, dossier=dossier, sheet=None,
                           maxima=dossier_rules(dossier).part_maxima)


def _self_assessment_on_sheet(dossier, evaluation, sheet):
    """Mẫu 02 part III on the official sheet: any part of it saved as a draft, finished later. A mistake comes back
    as posted; saved or refused, the next page by GET."""
    posted, key = request.method == "POST", f"self_assessment:{dossier.id}"
    form = producer_sheet_form(sheet, evaluation, posted, None if posted else take_input(key))
    if not form.validate_on_submit():
        if posted:
            flash(_("Chưa lưu được: vui lòng sửa các ô được đánh dấu."), "danger")
        return render_template("dossiers/self_assessment.html", form=form, dossier=dossier, sheet=sheet), \
            400 if posted else 200
    refusal = committed(lambda: record_self_assessment(dossier, actor=current_user, criteria=form.criteria,
                                                       notes=form.notes))
    if refusal is not None:
        flash_refusal(refusal)
        keep_input(key, form, errors={})
        return redirect(url_for(".self_assessment", dossier_id=dossier.id))
    left = len(form.left())
    if left:
        flash(_("Đã lưu phần tự đánh giá. Còn %(count)d tiêu chí chưa chọn; bạn có thể làm tiếp bất cứ lúc nào.",
                count=left), "success")
        return redirect(url_for(".self_assessment", dossier_id=dossier.id))
    flash(_("Đã lưu phần tự đánh giá: đã chọn đủ các tiêu chí."), "success")
    return redirect(url_for(".show", dossier_id=dossier.id))


@bp.route("/dossiers/<int:dossier_id>/vietgap", methods=["GET", "POST"])
def vietgap(dossier_id: int):
    dossier = _editable(dossier_id, can_record_vietgap)
    form = _kept_or_new(f"vietgap:{dossier_id}", VietGapForm)
    if form.validate_on_submit():
        return _saved_or_back(form, f"vietgap:{dossier_id}", ".vietgap", dossier_id, lambda: record_vietgap(
            dossier, actor=current_user, certificate_no=form.certificate_no.data, issuer=form.issuer.data,
            issued_on=form.issued_on.data, valid_until=form.valid_until.data))
    return render_template("dossiers/vietgap.html", form=form, dossier=dossier)


@bp.get("/dossiers/<int:dossier_id>/check-answers")
def check_answers(dossier_id: int):
    dossier = visible_dossier_or_404(current_user, dossier_id)
    return render_template("dossiers/check_answers.html", **dossier_page_context(dossier, current_user, today()),
                           **receipt.filing_state(dossier_id))


@bp.post("/dossiers/<int:dossier_id>/events/<event>")
def fire_event(dossier_id: int, event: str):
    """Every workflow button posts here; the one service decides, the page only reports."""
    dossier = _dossier_to_fire_on(dossier_id)
    if event not in EVENT_LABELS or event == "decide" or not can_fire(current_user, dossier, event):
        abort(403)
    form = event_form(event)
    if "batch_id" in form:
        form.batch_id.choices = batch_choices(dossier, today())
    if form.validate_on_submit():
        refusal = saved(lambda: _fire(dossier, event, form), success=_("Đã thực hiện: %(event)s.",
                                                                        event=EVENT_LABELS[event]))
        if refusal is None:
            return redirect(url_for(".show", dossier_id=dossier_id))
    elif event not in allowed_events(current_user, dossier):  # a stale page: its form is no longer shown
        flash_refusal(EventNotAllowed(f"{event} is not allowed in {dossier.state}"))
    else:
        flash(_("Vui lòng sửa các ô được đánh dấu rồi thử lại."), "danger")
    # Refused: back to the dossier page (a reload never posts again), what the user typed kept on its form.
    keep_input(f"event:{dossier_id}:{event}", form)
    return redirect(url_for(".show", dossier_id=dossier_id, _anchor=f"event-{event}"))


def _dossier_to_fire_on(dossier_id: int) -> Dossier:
    """As `visible_dossier_or_404`, with what the one door reads loaded in the same statement (not one more)."""
    dossier = db.session.scalar(visible_dossiers(current_user, db.select(Dossier).where(Dossier.id == dossier_id))
                                .options(*EVENT_READS))
    if dossier is None:
        abort(404)
    return dossier


def refused_event_form(dossier_id: int) -> dict:
    """The event form refused on the previous request, refilled: {event: form}, or nothing."""
    kept = session.get(SESSION_KEY) or {}
    key = kept.get("key", "")
    if not key.startswith(f"event:{dossier_id}:"):
        return {}
    event = key.rsplit(":", 1)[1]
    return {event: refill(lambda **data: event_form(event, **data), take_input(key))}


@bp.post("/dossiers/<int:dossier_id>/assignee")
def assignee(dossier_id: int):
    """Hand the dossier to an officer of the acting unit, or take it ("Tôi nhận xử lý"); refusals are flashed."""
    dossier = visible_dossier_or_404(current_user, dossier_id)
    form = AssignmentForm()
    form.assignee.choices = officer_choices(dossier, today())
    # Those who may not assign (any more) hear it from the service: a 403, or "the dossier has moved on".
    if can_assign(current_user, dossier) and not form.validate_on_submit():
        flash(_("Cán bộ được chọn không thuộc đơn vị đang xử lý hồ sơ."), "danger")  # moved, deactivated, forged
        return redirect(url_for(".show", dossier_id=dossier_id))
    chosen = current_user if form.take.data else db.session.get(User, form.assignee.data or 0)  # 0: nobody
    saved(lambda: assign_dossier(dossier, actor=current_user, assignee=chosen),
          success=_("Đã phân công cán bộ xử lý hồ sơ."))
    return redirect(url_for(".show", dossier_id=dossier_id))


def _fire(dossier, event: str, form):
    """The one door, with what the event's form carries (the national result comes with the Ministry's decision,
    a filing with the producer's declaration)."""
    if event in SUBMIT_EVENTS:
        return file_dossier(dossier, actor=current_user, version=form.version.data, event=event,
                            declared=request.form.get("declared") == "y", comment=form.comment.data or "")
    if event == "recognise":
        return recognise_nationally(dossier, actor=current_user, version=form.version.data, score=form.score.data,
                                    number=form.decision_number.data or "", signed_on=form.decision_signed_on.data,
                                    signer=form.decision_signer.data or "", comment=form.comment.data or "")
    return apply_event(dossier, event, actor=current_user, version=form.version.data, comment=form.comment.data or "",
                       received_on=form.received_on.data if "received_on" in form else None,
                       grounds=form.grounds.data if "grounds" in form else "",
                       batch_id=(form.batch_id.data or None) if "batch_id" in form else None,
                       override=bool(form.override.data) if "override" in form else False)


def _kept_or_new(key: str, build):
    """The form as a refused post left it (on the GET that follows it), else a new one."""
    return refill(build, take_input(key) if request.method == "GET" else None)


def _saved_or_back(form, key: str, endpoint: str, dossier_id: int, change):
    """Save and go to the dossier; refused, the reason flashed and the same page again by GET, input kept."""
    if saved(change) is None:
        return redirect(url_for(".show", dossier_id=dossier_id))
    keep_input(key, form, errors={})
    return redirect(url_for(endpoint, dossier_id=dossier_id))


def _editable(dossier_id: int, predicate):
    dossier = visible_dossier_or_404(current_user, dossier_id)
    if not predicate(current_user, dossier):
        abort(403)
    return dossier


from . import receipt
