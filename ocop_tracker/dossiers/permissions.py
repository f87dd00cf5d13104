"""Who may see a dossier and who may fire which event: named predicates, deny by default."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Select, false

from ..accounts.models import AdministrativeUnit, User
from ..clock import today as clock_today
from ..extensions import db
from ..products.models import Product
from ..registry.services import current_certificate
from ..reviews.models import CouncilMember
from ..workflow import (
    COUNCIL_CHAIR,
    DECIDING_OFFICER,
    EVENT_ACTORS,
    EVENTS_FROM,
    PREPARING,
    PRODUCER,
    PROVINCIAL_OFFICER,
    RECOGNISING_OFFICER,
    REVIEWING_OFFICER,
    STEP_ACTORS,
    SYSTEM,
    VIETGAP_RECORDABLE,
    WAITING_FOR,
    WITH_AN_OFFICER,
)
from .models import Dossier
from .placement import acting_unit, council_at, dossier_rules


def is_own_producer(user: User | None, dossier: Dossier, _day: date | None = None) -> bool:
    return bool(user and user.role == "producer" and user.organisation_id == dossier.product.organisation_id)


def is_officer_of(user: User | None, unit: AdministrativeUnit | None) -> bool:
    return bool(user and user.role == "officer" and unit is not None and user.unit_id == unit.id)


def is_reviewing_officer(user: User | None, dossier: Dossier, day: date | None = None) -> bool:
    """An officer of the first-level unit, or of the province once that unit (a district) is abolished."""
    unit = acting_unit(dossier.review_unit, day)
    if unit is not None and unit.level == "province":
        return is_provincial_officer(user, dossier, day)
    return is_officer_of(user, unit)


def is_provincial_officer(user: User | None, dossier: Dossier, _day: date | None = None) -> bool:
    """An administrator, or an officer of the province the dossier's unit lies in (its OCOP office)."""
    if user is None or user.role not in ("officer", "admin") or user.unit is None:
        return False
    return user.unit.level == "province" and user.unit.contains(dossier.product.organisation.unit)


def is_deciding_officer(user: User | None, dossier: Dossier, day: date | None = None) -> bool:
    """An officer of the level whose chairman decides: the district's (district era) or the province's."""
    if dossier.level == "district":  # a commune never decides: its files go up to the province
        return is_reviewing_officer(user, dossier, day)
    return is_provincial_officer(user, dossier, day)


def is_recognising_officer(user: User | None, dossier: Dossier, day: date | None = None) -> bool:
    """The province for every certificate; a district still on the map for the 3★ it recognised."""
    certificate = current_certificate(dossier)
    if certificate is not None and certificate.recognised_by == "district" and is_reviewing_officer(user, dossier, day):
        return True
    return is_provincial_officer(user, dossier, day)


def council_seat(user: User | None, dossier: Dossier) -> CouncilMember | None:
    """The user's seat on the council that rates (or would next rate) the dossier, if any."""
    if user is None or user.role != "council_member":
        return None
    council_id = dossier.rating_council_id
    if council_id is None:
        rules = dossier_rules(dossier)
        level = dossier.level if dossier.level and rules.level(dossier.level) else rules.first_council_level
        council = council_at(dossier, level)
        council_id = council.id if council else None
    return db.session.scalar(db.select(CouncilMember).filter_by(council_id=council_id, user_id=user.id))


def is_council_chair(user: User | None, dossier: Dossier, _day: date | None = None) -> bool:
    seat = council_seat(user, dossier)
    return bool(seat and seat.is_chair)


ACTOR_PREDICATES = {
    PRODUCER: is_own_producer,
    REVIEWING_OFFICER: is_reviewing_officer,
    PROVINCIAL_OFFICER: is_provincial_officer,
    COUNCIL_CHAIR: is_council_chair,
    DECIDING_OFFICER: is_deciding_officer,
    RECOGNISING_OFFICER: is_recognising_officer,
    SYSTEM: lambda user, _dossier, _day=None: user is None,
}


def can_fire(user: User | None, dossier: Dossier, event: str, day: date | None = None) -> bool:
    """Whether the user's role and unit let them fire `event` on this dossier.

    The actors of the event in the dossier's state; where the state has no such event, its actors anywhere
    (so the caller learns the event is not allowed now rather than never theirs).
    """
    actors = STEP_ACTORS.get((dossier.state, event)) or EVENT_ACTORS.get(event, frozenset())
    day = day or clock_today()
    return any(ACTOR_PREDICATES[actor](user, dossier, day) for actor in actors)


def may_fire_elsewhere(user: User | None, dossier: Dossier, event: str, day: date | None = None) -> bool:
    """Whether the user could fire `event` on this dossier in some other state (their page may be stale)."""
    day = day or clock_today()
    return any(ACTOR_PREDICATES[actor](user, dossier, day) for actor in EVENT_ACTORS.get(event, ()))


def allowed_events(user: User | None, dossier: Dossier) -> list[str]:
    """Events the user may fire now: the static table for the state, filtered by role and unit."""
    return [event for event in EVENTS_FROM[dossier.state] if can_fire(user, dossier, event)]


def can_view(user: User | None, dossier: Dossier) -> bool:
    """Whether the dossier is the user's to see; others get a 404."""
    if user is None:
        return False
    statement = visible_dossiers(user, db.select(Dossier.id).where(Dossier.id == dossier.id))
    return db.session.scalar(statement) is not None


def visible_dossiers(user: User, statement: Select, scope: tuple[int, ...] = ()) -> Select:
    """Narrow a SELECT over dossiers to those the user may see (one query, no per-row checks). `scope`: the ids of
    the user's unit and the units below it, when the caller read them already (the list's unit filter does)."""
    if user.role == "admin":
        return statement
    if user.role == "producer":
        return statement.join(Product, Dossier.product_id == Product.id).where(
            Product.organisation_id == user.organisation_id)
    if user.role == "officer" and user.unit is not None and user.unit.abolished_on is not None:
        # An abolished unit's officers keep reading the rounds their unit checked, not its successors' new ones.
        return statement.where(Dossier.review_unit_id == user.unit_id, Dossier.state != "draft")
    if user.role == "officer" and user.unit is not None and scope == (user.unit_id,):
        # A unit with none below it (a commune): said plainly, the list reads that unit's range of an index in its
        # order and stops after a page, where the join by path kept the unit's rows out of every dossier (issue 13).
        return statement.where(Dossier.review_unit_id == user.unit_id, Dossier.state != "draft")
    if user.role == "officer" and user.unit is not None:
        review_unit = db.aliased(AdministrativeUnit)
        # Officers see submitted dossiers reviewed in their unit or below it, never drafts.
        return statement.join(review_unit, Dossier.review_unit_id == review_unit.id).where(
            review_unit.path.startswith(user.unit.path), Dossier.state != "draft")
    if user.role == "council_member":
        councils = db.select(CouncilMember.council_id).where(CouncilMember.user_id == user.id)
        return statement.where(Dossier.rating_council_id.in_(councils))
    return statement.where(false())


def can_edit_dossier(user: User | None, dossier: Dossier) -> bool:
    return is_own_producer(user, dossier) and dossier.state in PREPARING


# The states in which an officer of one unit must act, and who that is: the work queue assigns among them.
HANDLERS = {state: ACTOR_PREDICATES[WAITING_FOR[state]] for state in WITH_AN_OFFICER}


def is_handler(user: User | None, dossier: Dossier, day: date | None = None) -> bool:
    """Whether the user is an officer (or administrator) of the unit that must act on the dossier now."""
    predicate = HANDLERS.get(dossier.state)
    return predicate is not None and predicate(user, dossier, day or clock_today())


def can_assign(user: User | None, dossier: Dossier, day: date | None = None) -> bool:
    """Officers of the unit that must act now hand the dossier to one of their own (or take it)."""
    return bool(user and user.role in ("officer", "admin")) and is_handler(user, dossier, day)


def can_record_vietgap(user: User | None, dossier: Dossier) -> bool:
    """The producer records the VietGAP certificate while preparing, while it is verified, or renewed once certified."""
    return is_own_producer(user, dossier) and dossier.state in VIETGAP_RECORDABLE


def can_open_dossier(user: User | None) -> bool:
    """Producers open dossiers for their organisation's products; their list is their own dossiers, not a queue."""
    return bool(user and user.role == "producer")


def can_filter_by_assignee(user: User | None) -> bool:
    """Officers and administrators see who handles what, and filter the queue by it."""
    return bool(user and user.role in ("officer", "admin"))


def can_be_assigned(user: User | None) -> bool:
    """Only officers handle dossiers; administrators hand them on."""
    return bool(user and user.role == "officer" and user.active)


def can_take_dossier(user: User | None, dossier: Dossier, day: date | None = None) -> bool:
    """An officer of the unit that must act takes a dossier not yet theirs."""
    return (can_be_assigned(user) and user is not None and dossier.assignee_id != user.id
            and is_handler(user, dossier, day))
