""""Awaiting me" in SQL: the dossiers whose move it is (workflow.WAITING_FOR) and whose mover this user is, by the
same role and unit rules as dossiers/permissions.py's actor predicates, so the queue lists only what the user can act
on (an abolished district's officer, or the province while a district decides, sees nothing to do)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, Select, and_, false, or_, select, true
from sqlalchemy.orm import aliased

from ..accounts.models import AdministrativeUnit, Organisation, User
from ..products.models import Product
from ..workflow import COUNCIL, DECIDING_OFFICER, PRODUCER, PROVINCIAL_OFFICER, REVIEWING_OFFICER, WAITING_FOR
from .models import Dossier


def _province_of(user: User) -> AdministrativeUnit | None:
    """The province whose officer or administrator the user is (permissions.is_provincial_officer), if any."""
    unit = user.unit
    if user.role not in ("officer", "admin") or unit is None or unit.level != "province":
        return None
    return unit


def _provincial(user: User) -> ColumnElement[bool]:
    """SQL: the producer lies in the user's province. An uncorrelated IN over the province's products, where the
    nested EXISTS over products, organisations and units ran once per dossier and per use (8 s at 100,000)."""
    province = _province_of(user)
    if province is None:
        return false()
    products = (select(Product.id).join(Organisation, Product.organisation_id == Organisation.id)
                .join(AdministrativeUnit, Organisation.unit_id == AdministrativeUnit.id)
                .where(AdministrativeUnit.path.startswith(province.path)))
    return Dossier.product_id.in_(products)


def _reviewing(user: User, today: date, provincial: ColumnElement[bool]) -> ColumnElement[bool]:
    """permissions.is_reviewing_officer: an officer of the first-level unit, or the province once it is abolished."""
    abolished = and_(AdministrativeUnit.abolished_on.is_not(None), AdministrativeUnit.abolished_on <= today)
    own: ColumnElement[bool] = false()
    if user.role == "officer" and user.unit_id is not None:
        own = Dossier.review_unit_id.in_(select(AdministrativeUnit.id).where(AdministrativeUnit.id == user.unit_id,
                                                                            ~abolished))
    abolished_units = select(AdministrativeUnit.id).where(abolished)
    return or_(own, and_(Dossier.review_unit_id.in_(abolished_units), provincial))


def _deciding(user: User, today: date, provincial: ColumnElement[bool]) -> ColumnElement[bool]:
    """permissions.is_deciding_officer: the district's officers for a district-level result, else the province's."""
    at_district = Dossier.level == "district"
    return or_(and_(at_district, _reviewing(user, today, provincial)),
               and_(or_(Dossier.level.is_(None), ~at_district), provincial))


def _actor_condition(actor: str, user: User, today: date, provincial: ColumnElement[bool]) -> ColumnElement[bool]:
    if actor == PRODUCER:
        return true() if user.role == "producer" else false()  # visible_dossiers keeps them to their own
    if actor == COUNCIL:
        return true() if user.role == "council_member" else false()  # ... and members to their councils' files
    if actor == PROVINCIAL_OFFICER:
        return provincial
    return {REVIEWING_OFFICER: _reviewing, DECIDING_OFFICER: _deciding}[actor](user, today, provincial)


def _may_act(actor: str, user: User) -> bool:
    """Whether _actor_condition can hold for this user at all (it is a plain false() otherwise)."""
    if actor == PRODUCER:
        return user.role == "producer"
    if actor == COUNCIL:
        return user.role == "council_member"
    return user.role in ("officer", "admin")


def with_producer_unit(user: User, statement: Select) -> tuple[Select, ColumnElement[bool] | None]:
    """Join a SELECT over dossiers to the producer's unit, once, and say "in the user's province" on that join:
    a plain column test in every place awaiting_condition needs it, instead of one IN subplan per place (which
    PostgreSQL JIT-compiled for seconds at 100,000). None, and the statement unchanged, for the other users."""
    province = _province_of(user)
    if province is None:
        return statement, None
    producer_unit = aliased(AdministrativeUnit)
    statement = (statement.join(Product, Dossier.product_id == Product.id)
                 .join(Organisation, Product.organisation_id == Organisation.id)
                 .join(producer_unit, Organisation.unit_id == producer_unit.id))
    return statement, producer_unit.path.startswith(province.path)


def awaiting_condition(user: User, today: date, provincial: ColumnElement[bool] | None = None) -> ColumnElement[bool]:
    """SQL: the dossier waits for this user (to be combined with visible_dossiers); `provincial` from
    with_producer_unit when the statement is joined to the producer's unit."""
    if provincial is None:
        provincial = _provincial(user)
    states_of: dict[str, list[str]] = {}
    for state, actor in WAITING_FOR.items():
        states_of.setdefault(actor, []).append(state)
    waiting = {state for actor, states in states_of.items() if _may_act(actor, user) for state in states}
    # The states the OR below can keep, said once more as a plain conjunct: PostgreSQL reads only their ranges of
    # the index on state, where inside the OR it filtered every entry of the index (issue 13).
    return and_(Dossier.state.in_(sorted(waiting)),
                or_(*(and_(Dossier.state.in_(states), _actor_condition(actor, user, today, provincial))
                      for actor, states in states_of.items())))
