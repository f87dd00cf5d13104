"""API endpoints: a dossier's documents — upload a new version (multipart), download one."""
from __future__ import annotations

from flask import current_app, request

from ..documents import services as document_services
from ..documents.models import Document
from ..documents.permissions import can_upload_documents
from ..documents.storage import send_document
from ..extensions import db
from ..workflow import NotPermitted
from .bodies import DocumentUpload
from .dossiers import DOSSIER, visible_dossier
from .errors import ApiError
from .inputs import MAX_ID
from .payload import parse_data
from .serializers import document_json
from .views import api_user, bp


def _upload_form() -> DocumentUpload:
    """The multipart fields: `file` and `kind` required, `valid_until` and `issuer` optional, nothing else."""
    if request.mimetype != "multipart/form-data":
        raise ApiError(400, "multipart_required", "send the file as multipart/form-data: file, kind, valid_until?")
    unknown = sorted((set(request.form) - set(DocumentUpload.model_fields))
                     | (set(request.files) - set(DocumentUpload.files)))
    if unknown:
        raise ApiError(400, "unknown_fields", "the body has fields this endpoint does not take", {"fields": unknown})
    missing = [name for name, part in (("file", request.files), ("kind", request.form)) if name not in part]
    if missing:
        raise ApiError(400, "missing_fields", "some required fields are missing", {"fields": missing})
    return parse_data(DocumentUpload, request.form.to_dict())


@bp.post(f"{DOSSIER}/documents")
def upload_document(dossier_id: int):
    """A new version of one kind of document; the service judges the bytes (413 too large, 415 refused type)."""
    dossier = visible_dossier(dossier_id)
    if not can_upload_documents(api_user(), dossier):  # as the page: who may, before what was sent
        raise NotPermitted("only the dossier's producer adds documents, while preparing it or during VietGAP")
    form = _upload_form()
    upload = request.files["file"]
    data = upload.read(current_app.config["DOCUMENT_MAX_BYTES"] + 1)  # one byte more tells "too large"
    document = document_services.upload_document(dossier, actor=api_user(), kind=form.kind,
                                                 filename=upload.filename or "", data=data,
                                                 valid_until=form.valid_until, issuer=form.issuer)
    db.session.commit()
    return document_json(document), 201


@bp.get(f"{DOSSIER}/documents/<int(max={MAX_ID}):document_id>/file")
def document_file(dossier_id: int, document_id: int):
    """The bytes as an attachment; a document of another dossier is a 404 like a missing one."""
    dossier = visible_dossier(dossier_id)
    document = db.session.scalar(db.select(Document).filter_by(id=document_id, dossier_id=dossier.id))
    if document is None:
        raise ApiError(404, "document_not_found", "this dossier has no such document")
    return send_document(document, as_attachment=True)
