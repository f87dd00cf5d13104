"""The producer's province stored on each dossier (`Dossier.producer_province_id`), kept right at every flush.

"In the user's province" is then one column of the dossier, not a join to its product, organisation and unit per
dossier (issue 13). It changes when a dossier is created, when an organisation moves to another unit, when a
product moves to another organisation, and when the map changes (a unit re-parented, provinces merged, a unit's level
changed): whichever service writes that, this listener follows it in the same flush, as products/models.py does for
the search names. The migration that added the column filled it with `province_of_producer` too.
"""
from __future__ import annotations

from typing import cast

from sqlalchemy import ColumnElement, Connection, Table, event, or_, select
from sqlalchemy.orm import Session, aliased

from ..accounts.models import AdministrativeUnit, Organisation
from ..models_base import changed_in_flush
from ..products.models import Product
from .models import Dossier


def province_of(unit: AdministrativeUnit | None) -> int | None:
    """The id of the province the unit lies in (the unit itself for a province), None outside any province."""
    province = unit.ancestor_at("province") if unit is not None else None
    return province.id if province is not None else None


def province_of_producer(dossiers: Table) -> ColumnElement:
    """SQL, correlated to a dossiers row: the province its producer's unit lies in (NULL outside any)."""
    producer_unit, province = aliased(AdministrativeUnit), aliased(AdministrativeUnit)
    return (select(province.id)
            .join_from(Product, Organisation, Product.organisation_id == Organisation.id)
            .join(producer_unit, Organisation.unit_id == producer_unit.id)
            .join(province, producer_unit.path.startswith(province.path))
            .where(Product.id == dossiers.c.product_id, province.level == "province")
            .limit(1).scalar_subquery())


def refresh_producer_provinces(connection: Connection, which: ColumnElement[bool]) -> None:
    """Write the producer's province of the dossiers `which` selects (a condition on dossiers.product_id)."""
    dossiers = cast(Table, Dossier.__table__)  # typed as a FromClause; a declarative model's own is a Table
    # The updated_at is kept: the province moving is not a change of the dossier (the queue's order stays).
    connection.execute(dossiers.update().where(which).values(
        producer_province_id=province_of_producer(dossiers), updated_at=dossiers.c.updated_at))


def _products_moved(session: Session) -> ColumnElement[bool] | None:
    """Which dossiers' producer province may have changed in this flush (as a condition), None when none."""
    units = sorted({u.path for u in session.dirty if isinstance(u, AdministrativeUnit) and changed_in_flush(u, "path", "level")})
    units = [path for path in units if not any(path != other and path.startswith(other) for other in units)]
    organisations = [o.id for o in session.dirty if isinstance(o, Organisation) and changed_in_flush(o, "unit_id", "unit")]
    products = [p.id for p in session.dirty if isinstance(p, Product) and changed_in_flush(p, "organisation_id", "organisation")]
    if not (units or organisations or products):
        return None
    moved = [Organisation.id.in_(organisations), Product.id.in_(products)]
    if units:
        moved.append(Organisation.unit_id.in_(select(AdministrativeUnit.id).where(
            or_(*(AdministrativeUnit.path.startswith(path) for path in units)))))
    moved_products = select(Product.id).join(Organisation, Product.organisation_id == Organisation.id).where(or_(*moved))
    return Dossier.__table__.c.product_id.in_(moved_products)


@event.listens_for(Session, "before_flush")
def _set_new_dossiers(session: Session, _context, _instances) -> None:
    for dossier in session.new:
        if isinstance(dossier, Dossier):
            product = dossier.product or session.get(Product, dossier.product_id)
            organisation = product and (product.organisation or session.get(Organisation, product.organisation_id))
            dossier.producer_province_id = province_of(organisation.unit) if organisation else None


@event.listens_for(Session, "after_flush")
def _refresh_moved(session: Session, _context) -> None:
    """After the flush wrote the new units, organisations and products, recompute from the database."""
    which = _products_moved(session)
    if which is not None:
        refresh_producer_provinces(session.connection(), which)

