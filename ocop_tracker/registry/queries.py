"""Read side of the public registry: what anyone may see of a certificate, and the search of certified products."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from functools import cache

from flask import abort
from sqlalchemy import ColumnElement, Select, false, func
from sqlalchemy.orm import joinedload

from ..accounts.models import AdministrativeUnit, Organisation
from ..deployment import absolute_url
from ..extensions import db
from ..products.models import Product, ProductSet
from ..rules.rulesets import RULE_SET_CODES, get_rule_set
from ..text_rules import folded, unstorable
from .models import Certificate
from .services import public_status

PER_PAGE = 20
COUNTED_AT_MOST = 1000  # the search counts its matches this far; beyond, the page says "more than 1000 products"


@dataclass(frozen=True)
class PublicCertificate:
    """All the public may see of a certificate: pages and API render this, never the rows behind it."""

    code: str
    product: str
    product_set: ProductSet
    organisation: str
    place: list[str]  # the organisation's unit, then its parents up to the province
    place_after_2025: list[str]  # the same place under the names the 2025 reform gave (districts are gone)
    star: int
    issued_on: date
    expires_on: date
    recognised_by: str
    recognised_by_names: dict[str, str]
    status: str  # valid, superseded, expired or revoked (services.public_status)
    revoked_on: date | None
    superseded_by: str | None
    phone: str | None  # phone and email only when the producer chose to publish them
    email: str | None
    decision: dict | None = None  # the recognition decision: number, signing date, signer, issuing body


@dataclass
class RegistryFilters:
    q: str = ""
    product_set_id: int | None = None
    unit_id: int | None = None
    star: int | None = None
    validity: str = "valid"  # "valid", or "all": expired and revoked ones too


@dataclass
class RegistryPage:
    """One page of the search (the shape of a Flask-SQLAlchemy page). `total` is exact, or, when `more`, the
    number counted before counting stopped: there is at least one match after it."""

    items: list[PublicCertificate]
    page: int
    per_page: int
    total: int
    more: bool = False

    @property
    def pages(self) -> int:
        """The pages known to hold matches (when `more`, one row at least lies beyond `total`)."""
        return max(1, math.ceil((self.total + self.more) / self.per_page))

    has_prev = property(lambda self: self.page > 1)
    has_next = property(lambda self: self.page < self.pages)
    prev_num = property(lambda self: self.page - 1)
    next_num = property(lambda self: self.page + 1)


def registry_url(code: str) -> str:
    """The certificate's public page as an absolute link (BASE_URL): what its QR code on a label opens."""
    return absolute_url("registry.certificate", code=code)


def _place(unit: AdministrativeUnit | None) -> tuple[list[str], list[str]]:
    """The unit chain as named when it was formed, and on today's map: renamed units by their new names,
    abolished ones (districts since 1/7/2025) left out; no second list when nothing changed."""
    chain = []
    while unit is not None:
        chain.append(unit)
        unit = unit.parent
    if not any(u.name_after_2025 or u.abolished_on for u in chain):
        return [u.name for u in chain], []
    return [u.name for u in chain], [u.name_after_2025 or u.name for u in chain
                                     if u.name_after_2025 or u.abolished_on is None]


@cache  # get_rule_set copies the whole rule set: once per process, not once per row of a registry page
def _all_level_names() -> dict[str, dict[str, str]]:
    return get_rule_set(RULE_SET_CODES[-1]).data["level_names"]


def _level_names(certificate: Certificate) -> dict[str, str]:
    """The recognising level's names (every rule set names the levels alike)."""
    level = certificate.recognised_by
    return dict(_all_level_names().get(level) or {"vi": level, "en": level})


def _decision(certificate: Certificate) -> dict | None:
    decision = certificate.decision
    if decision is None:
        return None
    return {"number": decision.number, "signed_on": decision.signed_on, "signer": decision.signer,
            "body": decision.body}


def _successor(certificate: Certificate) -> str | None:
    """The code of the certificate that replaced this one (the dossier's next one)."""
    return db.session.scalar(db.select(Certificate.code).where(
        Certificate.dossier_id == certificate.dossier_id, Certificate.id > certificate.id)
        .order_by(Certificate.id).limit(1))


def public_certificate(certificate: Certificate, today: date) -> PublicCertificate:
    """The public face of a certificate as of `today`."""
    product = certificate.product
    organisation = product.organisation
    place, place_after_2025 = _place(organisation.unit)
    status = public_status(certificate, today)
    public = organisation.contact_public
    return PublicCertificate(
        code=certificate.code, product=product.name, product_set=product.product_set, organisation=organisation.name,
        place=place, place_after_2025=place_after_2025, star=certificate.star, issued_on=certificate.issued_on,
        expires_on=certificate.expires_on, recognised_by=certificate.recognised_by,
        recognised_by_names=_level_names(certificate), status=status, revoked_on=certificate.revoked_on,
        superseded_by=_successor(certificate) if status == "superseded" else None,
        phone=organisation.phone if public else None, email=organisation.email if public else None,
        decision=_decision(certificate))


def _loaded(statement: Select) -> Select:
    """With all the public face shows: product, set, producer, its place up to the province, the decision."""
    place = joinedload(Product.organisation).joinedload(Organisation.unit).joinedload(AdministrativeUnit.parent)
    return statement.options(joinedload(Certificate.decision), joinedload(Certificate.product).options(
        joinedload(Product.product_set), place.joinedload(AdministrativeUnit.parent)))


def _by_code(code: str) -> Select:
    """The certificate with this code as typed from a label: any case, spaces around."""
    wanted = code.strip().upper()  # codes are stored upper-case (Certificate._upper_code): equality on the index
    if len(wanted) > Certificate.code.type.length or "\x00" in wanted:
        wanted = ""  # matches nothing, and PostgreSQL would refuse a NUL character with an error
    return db.select(Certificate).where(Certificate.code == wanted)


def certificate_code(text: str) -> str | None:
    """The exact code of the certificate that `text` names, if it names one."""
    if not text.strip():
        return None
    return db.session.scalar(_by_code(text).with_only_columns(Certificate.code))


def find_public_certificate(code: str, today: date) -> PublicCertificate | None:
    """The public face of the certificate with this code, if there is one."""
    certificate = db.session.scalar(_loaded(_by_code(code)))
    return public_certificate(certificate, today) if certificate else None


def public_certificate_or_404(code: str, today: date) -> PublicCertificate:
    entry = find_public_certificate(code, today)
    if entry is None:
        abort(404)
    return entry


def _named(word: str) -> ColumnElement[bool]:
    """The product's name or its producer's holds `word` (folded) as a substring: LIKE '%word%' on the certificate's
    copy of the search names (both names folded, joined by a space; a pg_trgm index on PostgreSQL)."""
    return Certificate.search_names.contains(word, autoescape=True)  # % and _ are matched as themselves


def _candidates(filters: RegistryFilters, today: date) -> Select:
    """The id of each dossier's newest certificate that passes the filters, read off the certificate row alone: its
    copies of the product's names, set and producer's unit (models._keep_registry_entries)."""
    statement = db.select(Certificate.id)
    if filters.validity == "valid":
        # A valid certificate is its dossier's newest: issuing one supersedes the valid one before it
        # (services.issue_certificate), and nothing else makes one valid.
        statement = statement.where(Certificate.status == "valid", Certificate.expires_on >= today)
    else:
        statement = statement.where(Certificate.current.is_(True))
    if filters.star:
        statement = statement.where(Certificate.star == filters.star)
    if filters.product_set_id:
        statement = statement.where(Certificate.product_set_id == filters.product_set_id)
    if filters.unit_id:
        unit = db.session.get(AdministrativeUnit, filters.unit_id)
        statement = statement.where(Certificate.unit_id.in_(db.select(AdministrativeUnit.id).where(
            AdministrativeUnit.path.startswith(unit.path if unit else "-"))))
    # Every word, without case or diacritics, in the product's name or its producer's.
    words = folded(filters.q).split()
    if any(unstorable(word) for word in words):
        return statement.where(false())  # no stored name holds a NUL, and PostgreSQL refuses one in a query
    for word in words:
        statement = statement.where(_named(word))
    return statement


def search_registry(filters: RegistryFilters, *, today: date, page: int = 1, per_page: int = PER_PAGE,
                    counted_at_most: int = COUNTED_AT_MOST) -> RegistryPage:
    """One page of certified products, by name; words match product or producer without case or diacritics.
    Ordered by the product's folded name, then certificate. The matches are counted up to `counted_at_most` (or
    through the page asked for, if further): a count of every match would read them all (issue 13)."""
    candidates = _candidates(filters, today)
    enough = max(counted_at_most, page * per_page)
    counted = db.session.scalar(db.select(func.count()).select_from(candidates.limit(enough + 1).subquery())) or 0
    found = RegistryPage([], page, per_page, min(counted, enough), more=counted > enough)
    found.page = min(max(page, 1), found.pages)
    # `current` said for valid ones too (they all are): the page walks the index (current, folded_name, id).
    ids = list(db.session.scalars(candidates.where(Certificate.current.is_(True))
                                  .order_by(Certificate.folded_name, Certificate.id)
                                  .limit(per_page).offset((found.page - 1) * per_page)))
    loaded = {c.id: c for c in db.session.scalars(_loaded(db.select(Certificate).where(Certificate.id.in_(ids))))}
    found.items = [public_certificate(loaded[i], today) for i in ids]
    return found
