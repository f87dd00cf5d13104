"""The printable certificate and decision listing: the records turned into the printouts' plain sheets."""
from __future__ import annotations

from flask import abort, make_response

from ..dossiers.models import Dossier
from ..extensions import db
from ..printouts.pdf import CertificateSheet, DecisionSheet, certificate_pdf, decision_pdf
from ..printouts.pdf import DecisionLine as ListingLine
from ..registry.models import Certificate
from ..registry.queries import registry_url
from ..registry.services import current_certificate
from ..storage import send_stored
from .models import RecognitionDecision

LEVEL_NAMES = {"district": "cấp huyện", "province": "cấp tỉnh", "central": "cấp trung ương"}


def place_of(dossier: Dossier) -> str:
    """'xã Liên Sơn, tỉnh Phú Thọ': the producer's commune and province on today's map."""
    unit = dossier.product.organisation.unit
    province = unit.ancestor_at("province")
    commune = f"xã {unit.name}" if unit.level == "commune" else unit.name
    return f"{commune}, tỉnh {province.name}" if province is not None and province is not unit else commune


def _pdf(data: bytes, filename: str):
    response = make_response(data)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def certificate_pdf_response(dossier: Dossier):
    """The dossier's newest certificate, as the Giấy chứng nhận to print; 404 when it has none."""
    certificate = current_certificate(dossier)
    if certificate is None:
        abort(404)
    decision = certificate.decision
    product_set = dossier.product.product_set
    sheet = CertificateSheet(
        code=certificate.code, product_name=dossier.product.name, organisation_name=dossier.product.organisation.name,
        place=place_of(dossier), product_set=f"{product_set.number}. {product_set.name_vi}", star=certificate.star,
        issuing_body=(decision.body if decision else "").upper(),
        decision_number=decision.number if decision else None,
        decision_signed_on=decision.signed_on if decision else None,
        signer=decision.signer if decision else "", signer_title=(decision.signer_title if decision else "").upper(),
        issued_on=certificate.issued_on, valid_until=certificate.expires_on,
        registry_url=registry_url(certificate.code))
    return _pdf(certificate_pdf(sheet), f"{certificate.code}.pdf")


def decision_pdf_response(decision: RecognitionDecision):
    """The products a decision lists, as the annex printed with it."""
    codes = {c.dossier_id: c.code for c in db.session.scalars(db.select(Certificate).filter_by(decision_id=decision.id))}
    lines = [ListingLine(product_name=item.dossier.product.name, organisation_name=item.dossier.product.organisation.name,
                          place=place_of(item.dossier), star=item.star if item.outcome == "recognise" else None,
                          recognised=item.outcome == "recognise", certificate_code=codes.get(item.dossier_id))
             for item in decision.items]
    sheet = DecisionSheet(number=decision.number, signed_on=decision.signed_on, issuing_body=decision.body.upper(),
                          signer=decision.signer, signer_title=decision.signer_title.upper(),
                          level_name=LEVEL_NAMES.get(decision.level, decision.level), lines=lines)
    return _pdf(decision_pdf(sheet), f"quyet-dinh-{decision.id}.pdf")


def signed_file_response(decision: RecognitionDecision):
    """The attached signed PDF, as an attachment; FileNotFoundError when none is attached or stored."""
    if not decision.file_stored_name:
        raise FileNotFoundError("no signed file")
    return send_stored(decision.file_stored_name, mimetype="application/pdf",
                       download_name=decision.file_name or "quyet-dinh.pdf")
