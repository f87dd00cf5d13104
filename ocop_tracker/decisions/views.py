"""Recognition decision pages: record one for many dossiers, read it, attach the signed PDF, print the listing
and each certificate."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..clock import today
from ..commit_point import committed, flash_refusal, saved
from ..dossiers.queries import visible_dossier_or_404
from ..extensions import db
from ..query_args import page_arg
from .forms import DecisionFileForm, DecisionForm
from .models import RecognitionDecision
from .printing import certificate_pdf_response, decision_pdf_response, signed_file_response
from .queries import awaiting_decision, decision_page, line_counts, outcome_choices, read_lines
from .services import DecisionRefused, attach_decision_file, can_record_for, record_decision, visible_decisions

bp = Blueprint("decisions", __name__)


def _visible_or_404(decision_id: int) -> RecognitionDecision:
    decision = db.session.scalar(visible_decisions(current_user, db.select(RecognitionDecision).where(
        RecognitionDecision.id == decision_id)))
    if decision is None:
        abort(404)
    return decision


@bp.get("/decisions")
def index():
    page = decision_page(current_user, page_arg())
    return render_template("decisions/index.html", page=page, line_counts=line_counts(page.items),
                           can_record=bool(awaiting_decision(current_user, today(), limit=1)))


@bp.route("/decisions/record", methods=["GET", "POST"])
def record():
    """The form lists every dossier the user's unit must decide; the officer marks each line."""
    if current_user.role not in ("officer", "admin"):
        abort(403)
    waiting = awaiting_decision(current_user, today())
    form, problems = DecisionForm(), {}
    if form.validate_on_submit():
        lines = read_lines(request.form, waiting)
        refusal = committed(lambda: record_decision(
            actor=current_user, number=form.number.data, signed_on=form.signed_on.data, signer=form.signer.data,
            signer_title=form.signer_title.data or "", body=form.body.data or "", lines=lines, today=today()))
        if refusal is None:
            decision = db.session.scalar(db.select(RecognitionDecision).order_by(RecognitionDecision.id.desc()))
            flash(_("Đã ghi Quyết định %(number)s cho %(count)d hồ sơ.", number=decision.number,
                    count=len(decision.items)), "success")
            return redirect(url_for(".show", decision_id=decision.id))
        problems = {item["dossier_id"]: item for item in refusal.details.get("items", [])} \
            if isinstance(refusal, DecisionRefused) else {}
        flash_refusal(refusal)
        waiting = awaiting_decision(current_user, today())
    chosen = outcome_choices(request, waiting)
    status = 200 if request.method == "GET" else 422
    return render_template("decisions/record.html", form=form, waiting=waiting, chosen=chosen,
                           problems=problems), status


@bp.get("/decisions/<int:decision_id>")
def show(decision_id: int):
    decision = _visible_or_404(decision_id)
    return render_template("decisions/show.html", decision=decision, file_form=DecisionFileForm(),
                           can_attach=can_record_for(current_user, decision.unit))


@bp.post("/decisions/<int:decision_id>/file")
def attach_file(decision_id: int):
    decision = _visible_or_404(decision_id)
    if not can_record_for(current_user, decision.unit):
        abort(403)
    form = DecisionFileForm()
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read(current_app.config["DOCUMENT_MAX_BYTES"] + 1)
        saved(lambda: attach_decision_file(decision, actor=current_user, filename=upload.filename or "", data=data),
              _("Đã lưu bản quyết định đã ký."))
    else:
        flash(_("Chọn tệp PDF của quyết định đã ký."), "danger")
    return redirect(url_for(".show", decision_id=decision_id))


@bp.get("/decisions/<int:decision_id>/file")
def download_file(decision_id: int):
    try:
        return signed_file_response(_visible_or_404(decision_id))
    except FileNotFoundError:
        abort(404)


@bp.get("/decisions/<int:decision_id>/listing.pdf")
def listing_pdf(decision_id: int):
    return decision_pdf_response(_visible_or_404(decision_id))


@bp.get("/dossiers/<int:dossier_id>/certificate.pdf")
def certificate_pdf(dossier_id: int):
    return certificate_pdf_response(visible_dossier_or_404(current_user, dossier_id))
