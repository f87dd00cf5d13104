"""Adding document versions and officer checks, the VietGAP record; what a dossier still lacks."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy.exc import IntegrityError

from ..accounts.models import User
from ..activity.services import log_action
from ..dossiers.models import Dossier
from ..dossiers.permissions import can_record_vietgap
from ..extensions import db
from ..labels import DOCUMENT_KIND_LABELS
from ..rules.rulesets import DOCUMENT_KINDS, RuleSet
from ..storage import put_new
from ..workflow import GuardFailed, NotPermitted, StaleVersion
from .changes import in_vietnamese, upload_log_data
from .filetypes import DocumentRefused  # noqa: F401 - callers catch the refusal of the function they call
from .models import CHECK_OUTCOMES, Document, DocumentCheck, VietGapCertificate
from .permissions import can_check_documents, can_upload_documents
from .quotas import check_quotas
from .storage import SUFFIXES
from .validation import display_name, inspect_upload

MAX_NAME_LENGTH = 200
MAX_ISSUER_LENGTH = 200
CHECK_SUMMARIES = {"accepted": "đạt", "needs_supplement": "cần bổ sung"}  # stored in Vietnamese, as summaries are


def clean_filename(filename: str, extension: str) -> str:
    """A display name only (never a path): last component, printable, ending as the bytes really are."""
    name = display_name(filename)
    stem, dot, suffix = name.rpartition(".")
    if not dot or "." + suffix.lower() not in SUFFIXES[extension]:
        stem, suffix = name, extension.lstrip(".")
    stem = (stem or "document")[:MAX_NAME_LENGTH - len(suffix) - 1].rstrip(" .")
    return f"{stem}.{suffix}"


def accepted_type(data: bytes, filename: str = "") -> tuple[str, str]:
    """The (content type, extension) of an acceptable upload; refuses empty, oversized, damaged and other files."""
    found = inspect_upload(data, filename, max_bytes=current_app.config["DOCUMENT_MAX_BYTES"])
    return found.content_type, found.extension


def upload_document(dossier: Dossier, *, actor: User | None, kind: str, filename: str, data: bytes,
                    valid_until: date | None = None, issuer: str | None = None) -> Document:
    """Store a new version of a kind of document; earlier versions stay, a refusal leaves nothing."""
    if not can_upload_documents(actor, dossier):
        raise NotPermitted("only the dossier's producer adds documents, while preparing it or during VietGAP")
    if kind not in DOCUMENT_KINDS:
        raise GuardFailed(f"unknown document kind {kind!r}", ["kind"])
    issuer = (issuer or "").strip() or None
    if issuer and len(issuer) > MAX_ISSUER_LENGTH:
        raise GuardFailed("the issuer is too long", ["issuer"])
    content_type, extension = accepted_type(data, filename)
    check_quotas(dossier, kind=kind, size=len(data))
    latest = db.session.scalar(db.select(db.func.max(Document.version)).filter_by(dossier_id=dossier.id, kind=kind))
    stored_name = put_new(data, extension)  # durably on storage before the row; a rollback deletes it again
    document = Document(dossier_id=dossier.id, kind=kind, version=(latest or 0) + 1,
                        filename=clean_filename(filename, extension), stored_name=stored_name,
                        content_type=content_type, size=len(data), issuer=issuer, valid_until=valid_until,
                        uploaded_by=actor)
    db.session.add(document)
    try:
        db.session.flush()
    except IntegrityError as error:
        raise StaleVersion("another version of this kind was added at the same moment") from error
    log_action("documents.upload", actor=actor, dossier=dossier, obj=document, data=upload_log_data(dossier, document))
    db.session.flush()
    return document


def record_document_check(document: Document, *, actor: User | None, outcome: str, note: str = "") -> DocumentCheck:
    """The reviewing officer's verdict on the current version of a document; a supplement needs a note."""
    check = _new_check(document, actor=actor, outcome=outcome, note=note)
    label = in_vietnamese(DOCUMENT_KIND_LABELS.get(document.kind, document.kind))
    log_action("documents.check", actor=actor, dossier=document.dossier_id, obj=document, data={
        "kind": document.kind, "version": document.version, "outcome": check.outcome, "note": check.note,
        "summary": f"{label} — {CHECK_SUMMARIES[check.outcome]}"})
    return check


def _new_check(document: Document, *, actor: User | None, outcome: str, note: str = "") -> DocumentCheck:
    """One verdict, unlogged: a whole review logs itself once."""
    dossier = db.session.get(Dossier, document.dossier_id)
    assert dossier is not None  # dossier_id is a non-null foreign key
    if not can_check_documents(actor, dossier):
        raise NotPermitted("only the reviewing officer checks documents, during the first-level checks")
    if outcome not in CHECK_OUTCOMES:
        raise GuardFailed(f"unknown check outcome {outcome!r}", ["outcome"])
    note = (note or "").strip()
    if outcome == "needs_supplement" and not note:
        raise GuardFailed("say what is to be supplemented", ["note"])
    current = current_documents(dossier).get(document.kind)
    if current is None or current.id != document.id:
        raise StaleVersion("a newer version of this document has been uploaded")
    check = DocumentCheck(document_id=document.id, outcome=outcome, note=note, checked_by=actor)
    db.session.add(check)
    db.session.flush()
    return check


MAX_REVIEW_NOTE_LENGTH = 2000


def review_documents(dossier: Dossier, *, actor: User | None, verdicts: dict[int, tuple[str, str]],
                     note: str = "") -> list[DocumentCheck]:
    """The officer's verdict on every current document at once, logged as one review; all or nothing.

    `verdicts` maps each current version's id to (outcome, note); a page that missed a newer version is stale.
    """
    if not can_check_documents(actor, dossier):
        raise NotPermitted("only the reviewing officer checks documents, during the first-level checks")
    current = {doc.id: doc for doc in current_documents(dossier).values()}
    if not current:
        raise GuardFailed("there is no document to review", ["documents"])
    if set(verdicts) != set(current):
        raise StaleVersion("the dossier's documents have changed since the page was shown; reload it")
    note = (note or "").strip()
    if len(note) > MAX_REVIEW_NOTE_LENGTH:
        raise GuardFailed("the review note is too long", ["review_note"])
    if any(outcome not in CHECK_OUTCOMES for outcome, _text in verdicts.values()):
        raise GuardFailed("unknown check outcome", ["outcome"])
    unexplained = sorted(doc_id for doc_id, (outcome, text) in verdicts.items()
                         if outcome == "needs_supplement" and not (text or "").strip())
    if unexplained:
        error = GuardFailed("say what is to be supplemented", ["note"])
        error.details["documents"] = unexplained
        raise error
    ordered = sorted(current.values(), key=lambda doc: DOCUMENT_KINDS.index(doc.kind))
    checks = [_new_check(doc, actor=actor, outcome=verdicts[doc.id][0], note=verdicts[doc.id][1])
              for doc in ordered]
    flagged = [doc.kind for doc, check in zip(ordered, checks, strict=True) if check.outcome == "needs_supplement"]
    accepted = len(checks) - len(flagged)
    log_action("documents.review", actor=actor, dossier=dossier, data={
        "accepted": accepted, "flagged": flagged, "note": note,
        "summary": f"Chấp nhận {accepted}, cần bổ sung {len(flagged)}"})
    db.session.flush()
    return checks


def document_versions(dossier: Dossier) -> dict[str, list[Document]]:
    """Every version of each kind of document, newest first."""
    rows = db.session.scalars(db.select(Document).filter_by(dossier_id=dossier.id)
                              .order_by(Document.kind, Document.version.desc()))
    versions: dict[str, list[Document]] = {}
    for document in rows:
        versions.setdefault(document.kind, []).append(document)
    return versions


def current_documents(dossier: Dossier) -> dict[str, Document]:
    """The newest version of each kind of document."""
    rows = db.session.scalars(db.select(Document).filter_by(dossier_id=dossier.id).order_by(Document.version))
    return {doc.kind: doc for doc in rows}


def missing_documents(dossier: Dossier, rules: RuleSet, day: date) -> list[str]:
    """Required kinds with no version, or whose newest version is no longer valid on `day`."""
    held = current_documents(dossier)
    required = rules.required_documents(dossier.dossier_type, dossier.product.product_set.group.code)
    return [kind for kind in required
            if kind not in held or ((until := held[kind].valid_until) is not None and until < day)]


def current_vietgap(dossier: Dossier) -> VietGapCertificate | None:
    return db.session.scalar(db.select(VietGapCertificate).filter_by(dossier_id=dossier.id)
                             .order_by(VietGapCertificate.id.desc()).limit(1))


def record_vietgap(dossier: Dossier, *, actor: User | None, certificate_no: str, issuer: str,
                   issued_on: date, valid_until: date) -> VietGapCertificate:
    """Record the dossier's VietGAP certificate (a new record; the old one stays in the table)."""
    if not can_record_vietgap(actor, dossier):
        raise NotPermitted("only the producer records the VietGAP certificate, while preparing, verifying or certified")
    if valid_until < issued_on:
        raise GuardFailed("the VietGAP certificate ends before it is issued", ["valid_until"])
    record = VietGapCertificate(dossier_id=dossier.id, certificate_no=certificate_no.strip(),
                                issuer=issuer.strip(), issued_on=issued_on, valid_until=valid_until,
                                recorded_by_id=actor.id if actor else None)
    db.session.add(record)
    db.session.flush()
    log_action("documents.vietgap", actor=actor, dossier=dossier, obj=record, data={
        "certificate_no": record.certificate_no, "issuer": record.issuer, "issued_on": issued_on.isoformat(),
        "valid_until": valid_until.isoformat(), "summary": f"{record.certificate_no} ({record.issuer}), "
                                                           f"hiệu lực đến {valid_until:%d/%m/%Y}"})
    return record


@dataclass(frozen=True)
class ChecklistItem:
    """One kind of document on a dossier's checklist, with its task status."""

    kind: str
    required: bool
    document: Document | None
    check: DocumentCheck | None
    status: str  # not_started, in_progress, completed
    expired_on: date | None = None  # the newest version's last valid day, when it has passed: upload a new one


def latest_checks(documents: list[Document]) -> dict[int, DocumentCheck]:
    """The newest officer check of each given document version, in one query."""
    ids = [doc.id for doc in documents]
    if not ids:
        return {}
    rows = db.session.scalars(db.select(DocumentCheck).where(DocumentCheck.document_id.in_(ids))
                              .order_by(DocumentCheck.id))
    return {check.document_id: check for check in rows}


def document_checklist(dossier: Dossier, rules: RuleSet, day: date, held: dict[str, Document] | None = None,
                       checks: dict[int, DocumentCheck] | None = None) -> list[ChecklistItem]:
    """Required kinds first, then any other kind already uploaded; each with its status on `day` (from `held`
    and `checks` when a list read them for many dossiers at once)."""
    held = current_documents(dossier) if held is None else held
    checks = latest_checks(list(held.values())) if checks is None else checks
    required = rules.required_documents(dossier.dossier_type, dossier.product.product_set.group.code)
    items = []
    for kind in required + [k for k in DOCUMENT_KINDS if k in held and k not in required]:
        document = held.get(kind)
        check = checks.get(document.id) if document else None
        expired_on = document.valid_until if document and document.valid_until and document.valid_until < day else None
        if document is None:
            status = "not_started"
        elif expired_on or (check and check.outcome == "needs_supplement"):
            status = "in_progress"
        else:
            status = "completed"
        items.append(ChecklistItem(kind, kind in required, document, check, status, expired_on))
    return items
