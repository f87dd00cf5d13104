""""Awaiting me" in SQL: the dossiers whose move it is (workflow.WAITING_FOR) and whose mover this user is, by the
same role and unit rules as dossiers/permissions.py's actor predicates, so the queue lists only what the user can act
on (an abolished district's officer, or the province while a district decides, sees nothing to do)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, and_, false, or_, select, true

from ..accounts.models import AdministrativeUnit, User
from ..workflow import COUNCIL, DECIDING_OFFICER, PRODUCER, PROVINCIAL_OFFICER, REVIEWING_OFFICER, WAITING_FOR
from .models import Dossier


def _province_of(user: User) -> AdministrativeUnit | None:
    """The province whose officer or administrator the user is (permissions.is_provincial_officer), if any."""
    unit = user.unit
    if user.role not in ("officer", "admin") or unit is None or unit.level != "province":
        return None
    return unit


def _provincial(user: User) -> ColumnElement[bool]:
    """SQL: the producer lies in the user's province: the province stored on the dossier (producer_province.py),
    where a join to the product, organisation and unit ran for every dossier (issue 13)."""
    province = _province_of(user)
    return false() if province is None else Dossier.producer_province_id == province.id


def _own_unit(user: User, today: date) -> int | None:
    """The unit whose first-level checks are the officer's own: theirs while on the map, unless a province, for
    which permissions.is_reviewing_officer asks is_provincial_officer instead."""
    unit = user.unit
    if user.role != "officer" or unit is None or unit.level == "province":
        return None
    return unit.id if unit.abolished_on is None or unit.abolished_on > today else None


def _reviewing(user: User, today: date, provincial: ColumnElement[bool]) -> ColumnElement[bool]:
    """permissions.is_reviewing_officer: an officer of the first-level unit, or the province once it is abolished."""
    abolished = and_(AdministrativeUnit.abolished_on.is_not(None), AdministrativeUnit.abolished_on <= today)
    unit_id = _own_unit(user, today)
    own = false() if unit_id is None else Dossier.review_unit_id == unit_id  # one range of an index
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


def awaiting_condition(user: User, today: date) -> ColumnElement[bool]:
    """SQL: the dossier waits for this user (to be combined with visible_dossiers)."""
    provincial = _provincial(user)
    states_of: dict[str, list[str]] = {}
    for state, actor in WAITING_FOR.items():
        states_of.setdefault(actor, []).append(state)
    waiting = {state for actor, states in states_of.items() if _may_act(actor, user) for state in states}
    # The states the OR below can keep, said once more as a plain conjunct: PostgreSQL reads only their ranges of
    # the index on state, where inside the OR it filtered every entry of the index (issue 13).
    said_once_more: list[ColumnElement[bool]] = [Dossier.state.in_(sorted(waiting))]
    if user.role in ("officer", "admin"):
        # Every branch an officer may act in asks "in my province" (a province's officer, an administrator) or "my
        # own unit" (below a province), never both: said once more too, one range of one index holds it all.
        own = _own_unit(user, today)
        said_once_more.append(provincial if own is None else Dossier.review_unit_id == own)
    return and_(*said_once_more, or_(*(and_(Dossier.state.in_(states), _actor_condition(actor, user, today, provincial))
                                       for actor, states in states_of.items())))
