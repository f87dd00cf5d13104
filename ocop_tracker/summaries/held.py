"""What the producer's listed dossiers hold — newest documents, their checks, VietGAP record, certificate — read
for all the rows at once (at most four statements) instead of dossier by dossier."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..documents.models import Document, DocumentCheck, VietGapCertificate
from ..documents.services import latest_checks
from ..dossiers.models import Dossier
from ..extensions import db
from ..registry.models import Certificate
from ..workflow import HOLDING_CERTIFICATE, PREPARING, VIETGAP_RECORDABLE


@dataclass
class Held:
    documents: dict[int, dict[str, Document]] = field(default_factory=dict)  # dossier → kind → newest version
    checks: dict[int, DocumentCheck] = field(default_factory=dict)  # document → its newest check
    vietgap: dict[int, VietGapCertificate] = field(default_factory=dict)  # dossier → newest record
    certificates: dict[int, Certificate] = field(default_factory=dict)  # dossier → newest certificate


def held_by(dossiers: list[Dossier]) -> Held:
    """The newest of each, as current_documents, current_vietgap and current_certificate say for one dossier, read
    only where the producer's line shows it: the documents of a file they may still edit (PREPARING: what is
    missing), the VietGAP record where they may record one, the certificate of a dossier holding one."""
    def ids(states: frozenset[str]) -> list[int]:
        return [d.id for d in dossiers if d.state in states]

    held = Held()
    if editable := ids(PREPARING):
        documents: dict[int, dict[str, Document]] = defaultdict(dict)
        for document in db.session.scalars(db.select(Document).where(Document.dossier_id.in_(editable))
                                           .order_by(Document.version)):
            documents[document.dossier_id][document.kind] = document
        held.documents = dict(documents)
        held.checks = latest_checks([doc for kinds in documents.values() for doc in kinds.values()])
    if recordable := ids(VIETGAP_RECORDABLE):
        held.vietgap = {r.dossier_id: r for r in db.session.scalars(db.select(VietGapCertificate).where(
            VietGapCertificate.dossier_id.in_(recordable)).order_by(VietGapCertificate.id))}
    if holding := ids(HOLDING_CERTIFICATE):
        held.certificates = {c.dossier_id: c for c in db.session.scalars(db.select(Certificate).where(
            Certificate.dossier_id.in_(holding)).order_by(Certificate.id))}
    return held
