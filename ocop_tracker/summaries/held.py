"""What the producer's listed dossiers hold — newest documents, their checks, VietGAP record, certificate — read
for all the rows at once (four statements) instead of dossier by dossier."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..documents.models import Document, DocumentCheck, VietGapCertificate
from ..documents.services import latest_checks
from ..dossiers.models import Dossier
from ..extensions import db
from ..registry.models import Certificate


@dataclass
class Held:
    documents: dict[int, dict[str, Document]] = field(default_factory=dict)  # dossier → kind → newest version
    checks: dict[int, DocumentCheck] = field(default_factory=dict)  # document → its newest check
    vietgap: dict[int, VietGapCertificate] = field(default_factory=dict)  # dossier → newest record
    certificates: dict[int, Certificate] = field(default_factory=dict)  # dossier → newest certificate


def held_by(dossiers: list[Dossier]) -> Held:
    """The newest of each, as current_documents, current_vietgap and current_certificate say for one dossier."""
    ids = [d.id for d in dossiers]
    if not ids:
        return Held()
    documents: dict[int, dict[str, Document]] = defaultdict(dict)
    for document in db.session.scalars(db.select(Document).where(Document.dossier_id.in_(ids))
                                       .order_by(Document.version)):
        documents[document.dossier_id][document.kind] = document
    vietgap = {r.dossier_id: r for r in db.session.scalars(db.select(VietGapCertificate).where(
        VietGapCertificate.dossier_id.in_(ids)).order_by(VietGapCertificate.id))}
    certificates = {c.dossier_id: c for c in db.session.scalars(db.select(Certificate).where(
        Certificate.dossier_id.in_(ids)).order_by(Certificate.id))}
    checks = latest_checks([doc for kinds in documents.values() for doc in kinds.values()])
    return Held(dict(documents), checks, vietgap, certificates)
