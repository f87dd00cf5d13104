"""A province's evaluation batches: the list, opening one, closing one (its OCOP office only)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import AdministrativeUnit
from ..clock import today
from ..commit_point import saved
from ..extensions import db
from ..i18n import day
from ..reviews.models import EvaluationBatch
from .forms import CloseBatchForm, OpenBatchForm
from .permissions import can_manage_batches
from .services import batch_overview, clean_name, close_batch, open_batch, suggested_batches

bp = Blueprint("batches", __name__, url_prefix="/batches")


def _province_or_403() -> AdministrativeUnit:
    """The user's own province; everyone else (communes, producers, members) gets a 403."""
    if not can_manage_batches(current_user, current_user.unit):
        abort(403)
    return current_user.unit


@bp.get("/")
def index():
    province = _province_or_403()
    return render_template("batches/index.html", province=province, rows=batch_overview(province),
                           close_form=CloseBatchForm())


@bp.route("/open", methods=["GET", "POST"])
def open():
    province = _province_or_403()
    suggestions = suggested_batches(province, today())
    pick = request.args.get("pick", 0, type=int)
    start = suggestions[pick]._asdict() if 0 <= pick < len(suggestions) else None
    form = OpenBatchForm(province, data=start)
    if form.validate_on_submit() and saved(
            lambda: open_batch(actor=current_user, unit=province, name=form.name.data,
                               filing_cutoff=form.filing_cutoff.data, decision_due=form.decision_due.data),
            _("Đã mở %(name)s.", name=clean_name(form.name.data))) is None:
        return redirect(url_for(".index"))
    page = render_template("batches/open.html", province=province, form=form, suggestions=suggestions)
    return page, 422 if request.method == "POST" else 200


@bp.post("/<int:batch_id>/close")
def close(batch_id: int):
    _province_or_403()
    batch = db.get_or_404(EvaluationBatch, batch_id)
    if not can_manage_batches(current_user, batch.unit):
        abort(403)
    if CloseBatchForm().validate_on_submit():
        if batch.closed_on is not None:  # a stale page: name the batch (the service's refusal speaks of dossiers)
            flash(_("%(name)s đã đóng từ ngày %(day)s.", name=batch.name, day=day(batch.closed_on)), "warning")
        else:
            saved(lambda: close_batch(batch, actor=current_user, today=today()),
                  _("Đã đóng %(name)s.", name=batch.name))
    return redirect(url_for(".index"))
