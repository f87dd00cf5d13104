""""Awaiting me" in SQL: the dossiers whose move it is (workflow.WAITING_FOR) and whose mover this user is, by the
same role and unit rules as dossiers/permissions.py's actor predicates, so the queue lists only what the user can act
on (an abolished district's officer, or the province while a district decides, sees nothing to do)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, and_, false, or_, true

from ..accounts.models import AdministrativeUnit, Organisation, User
from ..products.models import Product
from ..workflow import COUNCIL, DECIDING_OFFICER, PRODUCER, PROVINCIAL_OFFICER, REVIEWING_OFFICER, WAITING_FOR
from .models import Dossier


def _provincial(user: User) -> ColumnElement[bool]:
    """permissions.is_provincial_officer: an officer or administrator of the province the producer lies in."""
    unit = user.unit
    if user.role not in ("officer", "admin") or unit is None or unit.level != "province":
        return false()
    return Dossier.product.has(Product.organisation.has(Organisation.unit.has(
        AdministrativeUnit.path.startswith(unit.path))))


def _reviewing(user: User, today: date) -> ColumnElement[bool]:
    """permissions.is_reviewing_officer: an officer of the first-level unit, or the province once it is abolished."""
    abolished = and_(AdministrativeUnit.abolished_on.is_not(None), AdministrativeUnit.abolished_on <= today)
    own: ColumnElement[bool] = false()
    if user.role == "officer" and user.unit_id is not None:
        own = Dossier.review_unit.has(and_(AdministrativeUnit.id == user.unit_id, ~abolished))
    return or_(own, and_(Dossier.review_unit.has(abolished), _provincial(user)))


def _deciding(user: User, today: date) -> ColumnElement[bool]:
    """permissions.is_deciding_officer: the district's officers for a district-level result, else the province's."""
    at_district = Dossier.level == "district"
    return or_(and_(at_district, _reviewing(user, today)),
               and_(or_(Dossier.level.is_(None), ~at_district), _provincial(user)))


def _actor_condition(actor: str, user: User, today: date) -> ColumnElement[bool]:
    if actor == PRODUCER:
        return true() if user.role == "producer" else false()  # visible_dossiers keeps them to their own
    if actor == COUNCIL:
        return true() if user.role == "council_member" else false()  # ... and members to their councils' files
    return {REVIEWING_OFFICER: _reviewing, PROVINCIAL_OFFICER: lambda u, _t: _provincial(u),
            DECIDING_OFFICER: _deciding}[actor](user, today)


def awaiting_condition(user: User, today: date) -> ColumnElement[bool]:
    """SQL: the dossier waits for this user (to be combined with visible_dossiers)."""
    states_of: dict[str, list[str]] = {}
    for state, actor in WAITING_FOR.items():
        states_of.setdefault(actor, []).append(state)
    return or_(*(and_(Dossier.state.in_(states), _actor_condition(actor, user, today))
                 for actor, states in states_of.items()))
