"""Document pages: upload a new version, check it (one document, or the whole checklist at once), preview, download."""
from __future__ import annotations

from functools import partial

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from ..clock import today
from ..commit_point import committed, flash_refusal, said
from ..dossiers.kept_input import SESSION_KEY, keep_input, refill, take_input
from ..dossiers.page import dossier_page_context
from ..dossiers.placement import dossier_rules
from ..dossiers.queries import visible_dossier_or_404
from ..errors import render_error
from ..extensions import db
from ..labels import DOCUMENT_KIND_LABELS
from ..workflow import GuardFailed
from .changes import changes_since_return
from .forms import CheckForm, ReviewForm, UploadForm, check_form, verdict_form
from .messages import megabytes, too_large_text
from .models import Document
from .permissions import can_check_documents, can_upload_documents
from .services import (
    DocumentRefused,
    document_checklist,
    document_versions,
    latest_checks,
    record_document_check,
    review_documents,
    upload_document,
)
from .storage import ACCEPTED_FORMATS, preview_kind, send_document

bp = Blueprint("documents", __name__)
# The dossier page shows what changed since a return and links the review form to those who may use it.
bp.add_app_template_global(changes_since_return, "changes_since_return")
bp.add_app_template_global(can_check_documents, "can_check_documents")


@bp.get("/dossiers/<int:dossier_id>/documents")
def index(dossier_id: int):
    """The documents page; a check refused on the previous request comes back on its form."""
    kept = session.get(SESSION_KEY) or {}
    key = kept.get("key", "")
    submitted = None
    if key.startswith(f"check:{dossier_id}:"):
        document_id = int(key.rsplit(":", 1)[1])
        submitted = {document_id: refill(lambda **formdata: check_form(document_id, **formdata), take_input(key))}
    return _index_page(visible_dossier_or_404(current_user, dossier_id), submitted=submitted)


@bp.post("/dossiers/<int:dossier_id>/documents")
def upload(dossier_id: int):
    dossier = _allowed(dossier_id, can_upload_documents)
    form = UploadForm()
    if not form.validate_on_submit():
        if _from_script():
            return jsonify(error=next((e for errors in form.errors.values() for e in errors), "")), 400
        return _index_page(dossier, upload_form=form), 400
    data = form.file.data.read(current_app.config["DOCUMENT_MAX_BYTES"] + 1)  # one byte more tells "too large"
    error = committed(lambda: upload_document(
        dossier, actor=current_user, kind=form.kind.data, filename=form.file.data.filename or "", data=data,
        issuer=form.issuer.data, valid_until=form.valid_until.data))
    if error is None:
        flash(_("Đã tải lên: %(kind)s.", kind=DOCUMENT_KIND_LABELS[form.kind.data]), "success")
        location = url_for(".index", dossier_id=dossier_id, _anchor=f"kind-{form.kind.data}")
        return jsonify(location=location) if _from_script() else redirect(location)
    if _from_script():  # uploads.js says why in place, keeping the chosen file
        return jsonify(error=said(error)), error.status
    if isinstance(error, DocumentRefused):
        form.file.errors = [said(error)]
    flash_refusal(error)
    return _index_page(dossier, upload_form=form), error.status


@bp.post("/dossiers/<int:dossier_id>/documents/<int:document_id>/check")
def check(dossier_id: int, document_id: int):
    dossier, document = _document_or_404(dossier_id, document_id)
    if not can_check_documents(current_user, dossier):
        abort(403)
    form = check_form(document.id)
    back = redirect(url_for(".index", dossier_id=dossier_id, _anchor=f"kind-{document.kind}"))
    if not form.validate_on_submit():
        keep_input(f"check:{dossier_id}:{document.id}", form)  # post/redirect/get, what was typed kept
        return back
    error = committed(lambda: record_document_check(document, actor=current_user, outcome=form.outcome.data,
                                                     note=form.note.data or ""))
    if error is None:
        flash(_("Đã ghi kết quả kiểm tra: %(kind)s.", kind=DOCUMENT_KIND_LABELS[document.kind]), "success")
        return back
    if isinstance(error, GuardFailed) and "note" in error.missing:
        form.note.errors = [_("Hãy ghi rõ nội dung cần bổ sung.")]
    flash_refusal(error)
    keep_input(f"check:{dossier_id}:{document.id}", form)
    return back


@bp.route("/dossiers/<int:dossier_id>/documents/review", methods=["GET", "POST"])
def review(dossier_id: int):
    """The whole checklist in one form: each current document accepted or flagged with a note, saved at once."""
    dossier = _allowed(dossier_id, can_check_documents)
    checklist = document_checklist(dossier, dossier_rules(dossier), today())
    form = ReviewForm()
    verdicts = {item.document.id: verdict_form(item.document.id, item.check) for item in checklist if item.document}
    if request.method == "GET":
        verdicts |= _kept_verdicts(dossier_id, checklist)
    if not form.validate_on_submit():
        return _review_page(dossier, checklist, form, verdicts), 400 if request.method == "POST" else 200
    posted = {doc_id: verdict for doc_id, verdict in verdicts.items() if verdict.outcome.raw_data}
    # A list, not a generator: all() must not stop at the first invalid verdict, so every document's errors show.
    if not all([verdict.validate() for verdict in posted.values()]):  # noqa: C419  see above
        return _review_page(dossier, checklist, form, verdicts), 400
    error = committed(lambda: review_documents(
        dossier, actor=current_user, note=form.note.data or "",
        verdicts={doc_id: (v.outcome.data, v.note.data or "") for doc_id, v in posted.items()}))
    if error is None:
        flagged = sum(v.outcome.data == "needs_supplement" for v in posted.values())
        flash(_("Đã ghi kết quả kiểm tra %(total)d tài liệu: chấp nhận %(accepted)d, cần bổ sung %(flagged)d.",
                total=len(posted), accepted=len(posted) - flagged, flagged=flagged), "success")
        return redirect(url_for(".review", dossier_id=dossier_id, _anchor="next-step"))
    if isinstance(error, GuardFailed) and "note" in error.missing:
        for doc_id in error.details.get("documents", []):
            verdicts[doc_id].note.errors = [_("Hãy ghi rõ nội dung cần bổ sung.")]
    flash_refusal(error)
    if isinstance(error, GuardFailed):  # notes missing: said on their fields, on the page's own address
        return _review_page(dossier, checklist, form, verdicts), error.status
    # A newer version arrived (or the check is over): the page again by GET, showing the documents as they are
    # now with the verdicts already chosen kept.
    keep_input(f"review:{dossier_id}", form, errors={})
    return redirect(url_for(".review", dossier_id=dossier_id))


def _kept_verdicts(dossier_id: int, checklist) -> dict[int, CheckForm]:
    """The verdicts a refused review left, for the documents still current."""
    kept = take_input(f"review:{dossier_id}")
    if kept is None:
        return {}
    return {item.document.id: refill(partial(check_form, item.document.id, meta={"csrf": False}), kept)
            for item in checklist if item.document}


@bp.get("/dossiers/<int:dossier_id>/documents/<int:document_id>/preview")
def preview(dossier_id: int, document_id: int):
    dossier, document = _document_or_404(dossier_id, document_id)
    return render_template("documents/preview.html", dossier=dossier, document=document,
                           preview=preview_kind(document.content_type))


@bp.get("/dossiers/<int:dossier_id>/documents/<int:document_id>/inline")
def inline(dossier_id: int, document_id: int):
    """The bytes for the preview page, only for types a browser shows without running anything."""
    _dossier, document = _document_or_404(dossier_id, document_id)
    if preview_kind(document.content_type) is None:
        abort(404)
    return send_document(document, as_attachment=False)


@bp.get("/dossiers/<int:dossier_id>/documents/<int:document_id>/file")
def download(dossier_id: int, document_id: int):
    _dossier, document = _document_or_404(dossier_id, document_id)
    return send_document(document, as_attachment=True)


@bp.errorhandler(RequestEntityTooLarge)
def too_large(_error):
    """A request over MAX_CONTENT_LENGTH: the app's error page, saying the limit."""
    return render_error(413, too_large_text())


def _index_page(dossier, *, upload_form: UploadForm | None = None, submitted: dict[int, CheckForm] | None = None):
    checklist = document_checklist(dossier, dossier_rules(dossier), today())
    versions = document_versions(dossier)
    can_upload, can_check = can_upload_documents(current_user, dossier), can_check_documents(current_user, dossier)
    if can_upload and upload_form is None:
        upload_form = UploadForm(kind=request.args.get("kind"))
    check_forms = {}
    if can_check:
        check_forms = {item.document.id: (submitted or {}).get(item.document.id) or check_form(item.document.id)
                       for item in checklist if item.document}
    max_bytes = current_app.config["DOCUMENT_MAX_BYTES"]
    return render_template("documents/index.html", dossier=dossier, checklist=checklist, versions=versions,
                           checks=latest_checks([doc for docs in versions.values() for doc in docs]),
                           upload_form=upload_form if can_upload else None, check_forms=check_forms,
                           can_review=can_check, accepted_formats=", ".join(ACCEPTED_FORMATS),
                           max_mb=megabytes(max_bytes), max_bytes=max_bytes, too_large=too_large_text())


def _review_page(dossier, checklist, form: ReviewForm, verdicts: dict[int, CheckForm]):
    """The review form, then the next step from the dossier page's own workflow forms (return prefilled)."""
    verdicts = {item.document.id: verdicts.get(item.document.id) or verdict_form(item.document.id, item.check)
                for item in checklist if item.document}
    context = dossier_page_context(dossier, current_user, today())
    flagged = [item for item in checklist if item.check and item.check.outcome == "needs_supplement"]
    first = ("return",) if flagged else ("forward", "verify_vietgap")
    actions = context["action_forms"]
    next_forms = {e: actions[e] for e in first if e in actions} | {e: f for e, f in actions.items() if e not in first}
    return render_template("documents/review.html", dossier=dossier, checklist=checklist, form=form,
                           verdicts=verdicts, flagged=flagged, event_forms=next_forms, today=today(),
                           dangerous_events=context["dangerous_events"])


def _from_script() -> bool:
    """An upload sent by static/uploads.js, which reads a JSON answer and shows the progress itself."""
    return request.headers.get("X-Requested-With") == "XMLHttpRequest"


def _allowed(dossier_id: int, predicate):
    dossier = visible_dossier_or_404(current_user, dossier_id)
    if not predicate(current_user, dossier):
        abort(403)
    return dossier


def _document_or_404(dossier_id: int, document_id: int):
    """A visible dossier and one of its own documents; a guessed id of another dossier is a 404."""
    dossier = visible_dossier_or_404(current_user, dossier_id)
    document = db.session.scalar(db.select(Document).filter_by(id=document_id, dossier_id=dossier.id))
    if document is None:
        abort(404)
    return dossier, document
