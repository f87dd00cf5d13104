"""Storage limits of the settings: versions of one document, bytes of one dossier, bytes of one organisation.

Counted with aggregate SQL over the rows already stored (never by loading them), before anything is written.
"""
from __future__ import annotations

from flask import current_app

from ..dossiers.models import Dossier
from ..extensions import db
from ..products.models import Product
from .filetypes import DocumentRefused
from .models import Document


def check_quotas(dossier: Dossier, *, kind: str, size: int) -> None:
    """Refuse one more version of `kind`, `size` bytes long, when it would pass a limit."""
    config = current_app.config
    max_versions = config["DOCUMENT_MAX_VERSIONS"]
    versions = db.session.scalar(db.select(db.func.count(Document.id)).filter_by(dossier_id=dossier.id, kind=kind))
    if versions >= max_versions:
        raise DocumentRefused("too_many_versions", f"this document already has {versions} versions, the most allowed",
                              {"kind": kind, "versions": versions, "max_versions": max_versions})
    dossier_bytes = db.session.scalar(db.select(db.func.coalesce(db.func.sum(Document.size), 0))
                                      .filter_by(dossier_id=dossier.id))
    _within("dossier_quota", "the dossier's files", dossier_bytes, size, config["DOSSIER_MAX_BYTES"])
    organisation_bytes = db.session.scalar(
        db.select(db.func.coalesce(db.func.sum(Document.size), 0))
        .join(Dossier, Dossier.id == Document.dossier_id).join(Product, Product.id == Dossier.product_id)
        .where(Product.organisation_id == dossier.product.organisation_id))
    _within("organisation_quota", "the organisation's files", organisation_bytes, size,
            config["ORGANISATION_MAX_BYTES"])


def _within(code: str, what: str, used: int, size: int, limit: int) -> None:
    if used + size > limit:
        raise DocumentRefused(code, f"{what} would take more than {limit} bytes",
                              {"used_bytes": used, "file_bytes": size, "max_bytes": limit})
