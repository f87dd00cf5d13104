"""Adding document versions and the VietGAP record; what a dossier still lacks."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from ..accounts.models import User
from ..dossiers.models import Dossier
from ..extensions import db
from ..rules.rulesets import DOCUMENT_KINDS, RuleSet
from ..workflow import GuardFailed
from .models import Document, DocumentCheck, VietGapCertificate
from .storage import save_bytes, sniff_content_type


class DocumentRefused(ValueError):
    """An upload that is empty, too large or not an accepted type."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def clean_filename(filename: str) -> str:
    """A display name only (never a path): last component, printable, at most 200 characters."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if ch.isprintable()).strip(" .")
    return name[-200:] or "document"


def add_document(dossier: Dossier, *, actor: User | None, kind: str, filename: str, data: bytes,
                 valid_until: date | None = None, issuer: str | None = None) -> Document:
    """Store a new version of a kind of document; earlier versions stay."""
    if kind not in DOCUMENT_KINDS:
        raise GuardFailed(f"unknown document kind {kind!r}", ["kind"])
    if not data:
        raise DocumentRefused("empty_file", "the file is empty")
    sniffed = sniff_content_type(data)
    if sniffed is None:
        raise DocumentRefused("unsupported_type", "only PDF, JPEG, PNG, WebP, DOCX and XLSX files are accepted")
    content_type, extension = sniffed
    latest = db.session.scalar(db.select(db.func.max(Document.version)).filter_by(dossier_id=dossier.id, kind=kind))
    document = Document(dossier_id=dossier.id, kind=kind, version=(latest or 0) + 1,
                        filename=clean_filename(filename), stored_name=save_bytes(data, extension),
                        content_type=content_type, size=len(data), issuer=issuer, valid_until=valid_until,
                        uploaded_by=actor)
    db.session.add(document)
    db.session.flush()
    return document


def current_documents(dossier: Dossier) -> dict[str, Document]:
    """The newest version of each kind of document."""
    rows = db.session.scalars(db.select(Document).filter_by(dossier_id=dossier.id).order_by(Document.version))
    return {doc.kind: doc for doc in rows}


def missing_documents(dossier: Dossier, rules: RuleSet, day: date) -> list[str]:
    """Required kinds with no version, or whose newest version is no longer valid on `day`."""
    held = current_documents(dossier)
    required = rules.required_documents(dossier.dossier_type, dossier.product.product_set.group.code)
    return [kind for kind in required
            if kind not in held or (held[kind].valid_until is not None and held[kind].valid_until < day)]


def current_vietgap(dossier: Dossier) -> VietGapCertificate | None:
    return db.session.scalar(db.select(VietGapCertificate).filter_by(dossier_id=dossier.id)
                             .order_by(VietGapCertificate.id.desc()).limit(1))


def record_vietgap(dossier: Dossier, *, actor: User | None, certificate_no: str, issuer: str,
                   issued_on: date, valid_until: date) -> VietGapCertificate:
    """Record the dossier's VietGAP certificate (a new record; the old one stays in the table)."""
    if valid_until < issued_on:
        raise GuardFailed("the VietGAP certificate ends before it is issued", ["valid_until"])
    record = VietGapCertificate(dossier_id=dossier.id, certificate_no=certificate_no.strip(),
                                issuer=issuer.strip(), issued_on=issued_on, valid_until=valid_until,
                                recorded_by_id=actor.id if actor else None)
    db.session.add(record)
    db.session.flush()
    return record


@dataclass(frozen=True)
class ChecklistItem:
    """One kind of document on a dossier's checklist, with its task status."""

    kind: str
    required: bool
    document: Document | None
    check: DocumentCheck | None
    status: str  # not_started, in_progress, completed


def latest_checks(documents: list[Document]) -> dict[int, DocumentCheck]:
    """The newest officer check of each given document version, in one query."""
    ids = [doc.id for doc in documents]
    if not ids:
        return {}
    rows = db.session.scalars(db.select(DocumentCheck).where(DocumentCheck.document_id.in_(ids))
                              .order_by(DocumentCheck.id))
    return {check.document_id: check for check in rows}


def document_checklist(dossier: Dossier, rules: RuleSet, day: date) -> list[ChecklistItem]:
    """Required kinds first, then any other kind already uploaded; each with its status on `day`."""
    held = current_documents(dossier)
    checks = latest_checks(list(held.values()))
    required = rules.required_documents(dossier.dossier_type, dossier.product.product_set.group.code)
    items = []
    for kind in required + [k for k in DOCUMENT_KINDS if k in held and k not in required]:
        document = held.get(kind)
        check = checks.get(document.id) if document else None
        if document is None:
            status = "not_started"
        elif (document.valid_until and document.valid_until < day) or (check and check.outcome == "needs_supplement"):
            status = "in_progress"
        else:
            status = "completed"
        items.append(ChecklistItem(kind, kind in required, document, check, status))
    return items
