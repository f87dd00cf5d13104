"""Issuing, revoking and expiring certificates; their public status and QR code."""
from __future__ import annotations

import io
from datetime import date

import segno

from ..dossiers.models import Dossier
from ..dossiers.search import refresh_search_text
from ..extensions import db
from ..reviews.models import EvaluationRound
from ..rules.rulesets import RuleSet
from .codes import certificate_code
from .models import Certificate


def current_certificate(dossier: Dossier) -> Certificate | None:
    """The dossier's newest certificate, whatever its status."""
    return db.session.scalar(db.select(Certificate).filter_by(dossier_id=dossier.id)
                             .order_by(Certificate.id.desc()).limit(1))


def holds_valid_certificate(dossier: Dossier, day: date) -> bool:
    """Whether the product holds a certificate valid on `day` (its last valid day included)."""
    certificate = current_certificate(dossier)
    return certificate is not None and certificate.status == "valid" and certificate.expires_on >= day


def issue_certificate(dossier: Dossier, evaluation: EvaluationRound, *, star: int, rules: RuleSet,
                      recognised_by: str, decision=None, issued_on: date | None = None) -> Certificate:
    """Issue the round's certificate from its decision's signing date; a previous valid one is superseded."""
    issued_on = decision.signed_on if decision is not None else issued_on
    if issued_on is None:
        raise ValueError("a certificate is issued from a decision or on a given day: neither was given")
    previous = current_certificate(dossier)
    if previous is not None:
        previous.current = False
        if previous.status == "valid":
            previous.status = "superseded"
    code = certificate_code(dossier, evaluation, issued_on, rules.code)
    product = dossier.product  # loaded for the code, with its producer: the registry's copies come from them
    certificate = Certificate(code=code, dossier_id=dossier.id, round_id=evaluation.id, star=star, issued_on=issued_on,
                              expires_on=rules.certificate_last_day(issued_on), recognised_by=recognised_by,
                              decision_id=decision.id if decision is not None else None, product_id=product.id,
                              folded_name=product.folded_name, search_names=product.search_names,
                              product_set_id=product.product_set_id, unit_id=product.organisation.unit_id)
    db.session.add(certificate)
    refresh_search_text(dossier)  # the queue finds a dossier by its certificate's code
    return certificate


def dossiers_due_to_expire(day: date) -> list[int]:
    """Ids of certified dossiers whose valid certificate's last valid day is before `day`."""
    return list(db.session.scalars(db.select(Dossier.id).join(Certificate, Certificate.dossier_id == Dossier.id)
                                   .where(Dossier.state == "certified", Certificate.status == "valid",
                                          Certificate.expires_on < day).order_by(Dossier.id)))


QR_MIMETYPES = {"svg": "image/svg+xml", "png": "image/png"}


def public_status(certificate: Certificate, today: date) -> str:
    """valid, superseded, expired or revoked as of `today`."""
    # `expires_on` is the last valid day (Civil Code Điều 147–148): expired from the next day, whether or not
    # the daily run has fired `expire` yet.
    if certificate.status == "valid" and certificate.expires_on < today:
        return "expired"
    return certificate.status


def qr_image(url: str, kind: str) -> bytes:
    """The QR code of `url` as an SVG or PNG file (segno writes both without Pillow)."""
    qr = segno.make(url, error="m")  # medium error correction: a scuffed printed label still reads
    out = io.BytesIO()
    if kind == "svg":
        qr.save(out, kind="svg", scale=4, light="#fff", title=url)
    else:
        qr.save(out, kind="png", scale=10, light="#fff")
    return out.getvalue()
