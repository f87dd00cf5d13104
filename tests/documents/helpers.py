"""Helpers of the document tests: sample files by their real bytes, one upload, the rows stored."""
from __future__ import annotations

import io

from ocop_tracker.documents.models import Document, DocumentCheck
from ocop_tracker.documents.samples import minimal_docx, minimal_image, minimal_pdf
from ocop_tracker.extensions import db

PDF = minimal_pdf()
PNG = minimal_image("PNG")
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48
HTML = b"<!doctype html><html><script>alert(document.cookie)</script></html>"
TEXT = "Chỉ là văn bản thuần".encode()


def docx_bytes() -> bytes:
    return minimal_docx()


def upload(client, dossier, *, name: str = "giấy phép.pdf", data: bytes = PDF, kind: str = "business_licence",
           **fields):
    return client.post(f"/dossiers/{dossier.id}/documents", content_type="multipart/form-data",
                       data={"kind": kind, "file": (io.BytesIO(data), name), **fields})


def documents_of(dossier, kind: str | None = None) -> list[Document]:
    statement = db.select(Document).filter_by(dossier_id=dossier.id).order_by(Document.kind, Document.version)
    if kind:
        statement = statement.filter_by(kind=kind)
    return list(db.session.scalars(statement))


def check_count() -> int:
    return db.session.scalar(db.select(db.func.count(DocumentCheck.id)))
