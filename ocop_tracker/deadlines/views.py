"""Deadline pages: extending one open deadline of a dossier."""
from __future__ import annotations

from functools import partial

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..clock import today
from ..commit_point import committed, flash_refusal
from ..dossiers.queries import visible_dossier_or_404
from ..extensions import db
from ..workflow import GuardFailed
from .forms import EXTENSION_ERRORS, extend_form
from .models import Deadline
from .permissions import can_extend_deadline
from .services import extend_deadline
from .status import view_of

bp = Blueprint("deadlines", __name__)


def _show_on_fields(form, refusal: GuardFailed) -> None:
    """A reason or a later day missing: said on their fields, like a form error, on the same page."""
    for code in refusal.missing:
        name, message = EXTENSION_ERRORS[code]
        form[name].errors = [*form[name].errors, str(message)]


@bp.route("/dossiers/<int:dossier_id>/deadlines/<int:deadline_id>/extend", methods=["GET", "POST"])
def extend(dossier_id: int, deadline_id: int):
    dossier = visible_dossier_or_404(current_user, dossier_id)
    deadline = db.session.get(Deadline, deadline_id)
    if deadline is None or deadline.dossier_id != dossier.id:
        abort(404)
    if not can_extend_deadline(current_user, dossier, deadline):
        abort(403)
    form = extend_form(deadline.id, posted=request.method == "POST")
    if form.validate_on_submit():
        # partial binds this deadline now: `deadline` is re-read below, so a lambda would not keep it narrowed.
        refusal = committed(partial(extend_deadline, deadline, actor=current_user, new_due_on=form.new_due_on.data,
                                    reason=form.reason.data, today=today()))
        if refusal is None:
            flash(_("Đã gia hạn; lý do được ghi vào lịch sử hồ sơ."), "success")
            return redirect(url_for("dossiers.show", dossier_id=dossier.id, _anchor="deadlines"))
        if not isinstance(refusal, GuardFailed):  # already met, or no longer theirs: said on the dossier page
            flash_refusal(refusal)
            return redirect(url_for("dossiers.show", dossier_id=dossier.id, _anchor="deadlines"))
        _show_on_fields(form, refusal)
        deadline = db.session.get(Deadline, deadline_id)  # re-read after the rollback
    page = render_template("deadlines/extend.html", dossier=dossier, deadline=view_of(deadline, today()), form=form)
    return page, 422 if request.method == "POST" else 200
