"""Certificate codes: the annex's product code for rounds scored on the official sheets, the older form before.

QĐ 26/2026 Phụ lục II prints "Mã số sản phẩm (T)-(X)-(STT)-20……": province code, commune code (QĐ 19/2025/QĐ-TTg,
the codes the units are imported with), the product's number in the list its commune keeps, the evaluation year.
"""
from __future__ import annotations

from datetime import date
from functools import cache

from sqlalchemy.exc import IntegrityError

from ..accounts.models import AdministrativeUnit
from ..dossiers.models import Dossier
from ..extensions import db
from ..products.models import Product
from ..reviews.models import EvaluationRound
from ..rules.sheets.loader import load_sheets
from .models import Certificate, ProductNumber

NUMBER_ATTEMPTS = 5  # a number taken by a certificate issued at the same moment: count again


def listing_unit(unit: AdministrativeUnit) -> AdministrativeUnit:
    """The unit whose list numbers the product: the producer's commune; a producer registered above any commune
    (a province's enterprise, an abolished district's file) is numbered in the list of the unit it is under."""
    return unit.ancestor_at("commune") or unit


def product_number(product: Product, unit: AdministrativeUnit) -> int:
    """The product's number in `unit`'s list: the one it holds, else the next free one, taken now."""
    for _ in range(NUMBER_ATTEMPTS):
        held = db.session.scalar(db.select(ProductNumber.number).filter_by(product_id=product.id, unit_id=unit.id))
        if held is not None:
            return held
        last = db.session.scalar(db.select(db.func.max(ProductNumber.number)).filter_by(unit_id=unit.id)) or 0
        try:
            with db.session.begin_nested():  # a clash undoes this row alone, not the decision being recorded
                db.session.add(ProductNumber(product_id=product.id, unit_id=unit.id, number=last + 1))
        except IntegrityError:
            continue  # another certificate took this number (or numbered this product) first: read again
        return last + 1
    raise RuntimeError(f"no free number in the product list of unit {unit.code} after {NUMBER_ATTEMPTS} attempts")


def _free(code: str) -> bool:
    return db.session.scalar(db.select(Certificate.id).filter_by(code=code.upper())) is None


def annex_code(dossier: Dossier, issued_on: date) -> str:
    """{province}-{commune}-{number}-{year}; the product's second certificate of a year (an upgrade within the
    year) adds "-2", its third "-3", so that every certificate keeps a code of its own."""
    unit = dossier.product.organisation.unit
    province, listed_in = unit.ancestor_at("province") or unit, listing_unit(unit)
    base = f"{province.code}-{listed_in.code}-{product_number(dossier.product, listed_in)}-{issued_on.year}"
    code, repeat = base, 1
    while not _free(code):
        repeat += 1
        code = f"{base}-{repeat}"
    return code


@cache  # the sheets' file is large: read once per rule set, not at every certificate
def _has_sheets(rule_set: str) -> bool:
    try:
        load_sheets(rule_set)
    except LookupError:
        return False
    return True


def certificate_code(dossier: Dossier, evaluation: EvaluationRound, issued_on: date, rule_set: str) -> str:
    """The annex's code for a round scored on the official sheets; before them (district-era rule sets) the
    older form, unique by province, dossier and round."""
    if _has_sheets(evaluation.rule_set or rule_set):
        return annex_code(dossier, issued_on)
    unit = dossier.product.organisation.unit
    province = unit.ancestor_at("province") or unit
    return f"OCOP-{province.code}-{issued_on.year}-{dossier.id:05d}-R{evaluation.number}"
