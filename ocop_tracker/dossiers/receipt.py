"""Filing from the check-answers page with the declaration, and the receipt it gives: a confirmation page and a PDF."""
from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import BooleanField

from ..commit_point import committed, flash_refusal
from ..decisions.printing import place_of
from ..forms_base import Form
from ..printouts.pdf import ReceiptSheet
from ..printouts.pdf import receipt_pdf as receipt_document
from ..workflow import GuardFailed
from .filing import Receipt, file_dossier, filing_event, latest_receipt
from .forms import VersionField
from .kept_input import keep_input, take_input
from .permissions import can_fire
from .queries import visible_dossier_or_404
from .views import bp


class FilingForm(Form):
    """Submit or resubmit from the check-answers page: the version the producer saw, and the declaration."""

    version = VersionField()
    declared = BooleanField()


@bp.post("/dossiers/<int:dossier_id>/filing")
def filing(dossier_id: int):
    """The check-answers page's button: file with the declaration, then the receipt; refused, the page again."""
    dossier = visible_dossier_or_404(current_user, dossier_id)
    if not can_fire(current_user, dossier, filing_event(dossier)):
        abort(403)
    form = FilingForm()
    refusal = None
    if form.validate_on_submit():
        refusal = committed(lambda: file_dossier(dossier, actor=current_user, version=form.version.data,
                                                 declared=form.declared.data))
        if refusal is None:
            return redirect(url_for(".receipt", dossier_id=dossier_id))
        flash_refusal(refusal)
    else:
        flash(_("Không thể thực hiện thao tác."), "warning")
    # Refused: back to the check-answers page (a reload never files again), the tick and its error kept.
    undeclared = isinstance(refusal, GuardFailed) and "declaration" in refusal.missing
    keep_input(f"filing:{dossier_id}", form, errors={}, declared=bool(form.declared.data), undeclared=undeclared)
    return redirect(url_for(".check_answers", dossier_id=dossier_id, _anchor="filing"))


def filing_state(dossier_id: int) -> dict:
    """The check-answers page's declaration as the refused filing left it (ticked, and whether that was missing)."""
    kept = take_input(f"filing:{dossier_id}")
    facts = kept["facts"] if kept else {}
    return {"declared": facts.get("declared", False),
            "declaration_error": _("Hãy đánh dấu vào ô cam kết trước khi nộp hồ sơ.") if facts.get("undeclared")
            else None}


def _receipt_or_404(dossier_id: int) -> Receipt:
    receipt = latest_receipt(visible_dossier_or_404(current_user, dossier_id))
    if receipt is None:  # never filed: nothing to confirm
        abort(404)
    return receipt


@bp.get("/dossiers/<int:dossier_id>/receipt")
def receipt(dossier_id: int):
    """The confirmation page of the latest filing (GOV.UK's pattern): the code, then what happens next."""
    found = _receipt_or_404(dossier_id)
    return render_template("dossiers/receipt.html", dossier=found.filing.dossier, receipt=found,
                           language=str(get_locale()))


@bp.get("/dossiers/<int:dossier_id>/receipt.pdf")
def receipt_pdf(dossier_id: int):
    """Giấy tiếp nhận hồ sơ và hẹn trả kết quả, to print or keep."""
    found = _receipt_or_404(dossier_id)
    dossier = found.filing.dossier
    sheet = ReceiptSheet(
        code=found.code, product_name=dossier.product.name, organisation_name=dossier.product.organisation.name,
        place=place_of(dossier), unit_name=found.unit_name("vi"), resubmission=found.filing.event == "resubmit",
        received_on=found.received_on, due_on=found.due_on, missing_year=found.missing_year,
        working_days=found.working_days, rule_set_name=found.rules.data["name_vi"],
        dossier_url=url_for(".show", dossier_id=dossier.id, _external=True))
    response = make_response(receipt_document(sheet))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{found.code}.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
