"""Who may see a dossier and who may fire which event: named predicates, deny by default."""
from __future__ import annotations

from sqlalchemy import Select

from ..accounts.models import AdministrativeUnit, User
from ..extensions import db
from ..products.models import Product
from ..reviews.models import CouncilMember
from ..workflow import (COUNCIL_CHAIR, EVENT_ACTOR, EVENTS_FROM, PRODUCER, PROVINCIAL_OFFICER,
                        REVIEWING_OFFICER, SYSTEM)
from .models import Dossier
from .placement import dossier_rules, rating_council_for


def is_own_producer(user: User | None, dossier: Dossier) -> bool:
    return bool(user and user.role == "producer" and user.organisation_id == dossier.product.organisation_id)


def is_reviewing_officer(user: User | None, dossier: Dossier) -> bool:
    return bool(user and user.role == "officer" and user.unit_id is not None
                and user.unit_id == dossier.review_unit_id)


def is_provincial_officer(user: User | None, dossier: Dossier) -> bool:
    """An administrator, or an officer of the province the dossier's unit lies in."""
    if user is None or user.role not in ("officer", "admin") or user.unit is None:
        return False
    return user.unit.level == "province" and user.unit.contains(dossier.product.organisation.unit)


def council_seat(user: User | None, dossier: Dossier) -> CouncilMember | None:
    """The user's seat on the council that rates (or will rate) the dossier, if any."""
    if user is None or user.role != "council_member":
        return None
    council_id = dossier.rating_council_id
    if council_id is None:
        council = rating_council_for(dossier, dossier_rules(dossier))
        council_id = council.id if council else None
    return db.session.scalar(db.select(CouncilMember).filter_by(council_id=council_id, user_id=user.id))


def is_council_chair(user: User | None, dossier: Dossier) -> bool:
    seat = council_seat(user, dossier)
    return bool(seat and seat.is_chair)


ACTOR_PREDICATES = {
    PRODUCER: is_own_producer,
    REVIEWING_OFFICER: is_reviewing_officer,
    COUNCIL_CHAIR: is_council_chair,
    PROVINCIAL_OFFICER: is_provincial_officer,
    SYSTEM: lambda user, _dossier: user is None,
}


def can_fire(user: User | None, dossier: Dossier, event: str) -> bool:
    """Whether the user's role and unit let them fire `event` on this dossier (state aside)."""
    actor = EVENT_ACTOR.get(event)
    return actor is not None and ACTOR_PREDICATES[actor](user, dossier)


def allowed_events(user: User | None, dossier: Dossier) -> list[str]:
    """Events the user may fire now: the static table for the state, filtered by role and unit."""
    return [event for event in EVENTS_FROM[dossier.state] if can_fire(user, dossier, event)]


def can_view(user: User | None, dossier: Dossier) -> bool:
    """Whether the dossier is the user's to see; others get a 404."""
    if user is None:
        return False
    statement = visible_dossiers(user, db.select(Dossier.id).where(Dossier.id == dossier.id))
    return db.session.scalar(statement) is not None


def visible_dossiers(user: User, statement: Select) -> Select:
    """Narrow a SELECT over dossiers to those the user may see (one query, no per-row checks)."""
    if user.role == "admin":
        return statement
    if user.role == "producer":
        return statement.join(Product, Dossier.product_id == Product.id).where(
            Product.organisation_id == user.organisation_id)
    if user.role == "officer" and user.unit is not None:
        review_unit = db.aliased(AdministrativeUnit)
        # Officers see submitted dossiers reviewed in their unit or below it, never drafts.
        return statement.join(review_unit, Dossier.review_unit_id == review_unit.id).where(
            review_unit.path.startswith(user.unit.path), Dossier.state != "draft")
    if user.role == "council_member":
        councils = db.select(CouncilMember.council_id).where(CouncilMember.user_id == user.id)
        return statement.where(Dossier.rating_council_id.in_(councils))
    return statement.where(False)


# States in which the producer still prepares the dossier (details, documents, self-assessment).
PREPARING_STATES = ("draft", "returned", "upgrade", "re_rating")


def can_edit_dossier(user: User | None, dossier: Dossier) -> bool:
    return is_own_producer(user, dossier) and dossier.state in PREPARING_STATES


def can_record_vietgap(user: User | None, dossier: Dossier) -> bool:
    """The producer records the VietGAP certificate while preparing, while it is verified, or renewed once certified."""
    return is_own_producer(user, dossier) and dossier.state in (*PREPARING_STATES, "vietgap", "certified")
