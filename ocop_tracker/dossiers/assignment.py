"""Assigning a dossier to a named officer of the unit that must act on it now (the work queue's "assigned to me")."""
from __future__ import annotations

from datetime import date
from typing import cast

from sqlalchemy import Table
from sqlalchemy.orm.attributes import set_committed_value

from ..accounts.models import User
from ..activity.services import log_action
from ..clock import today as clock_today
from ..extensions import db
from ..workflow import EventNotAllowed, GuardFailed, NotPermitted
from .models import Dossier
from .permissions import HANDLERS, can_assign, is_handler
from .placement import acting_unit, province_of

NOBODY = "(chưa phân công)"  # how the activity log's summary names an empty side


def candidate_officers(dossier: Dossier, day: date | None = None) -> list[User]:
    """The active officers of the unit that must act on the dossier now, by name."""
    day = day or clock_today()
    units = {unit.id for unit in (acting_unit(dossier.review_unit, day), province_of(dossier)) if unit is not None}
    if dossier.state not in HANDLERS or not units:
        return []
    officers = db.session.scalars(db.select(User).where(User.role == "officer", User.active.is_(True),
                                                        User.unit_id.in_(units))
                                  .order_by(User.full_name, User.username))
    return [officer for officer in officers if is_handler(officer, dossier, day)]


def may_be_assigned(user: User | None, dossier: Dossier, day: date | None = None) -> bool:
    return bool(user and user.role == "officer" and user.active and is_handler(user, dossier, day))


def ensure_may_assign(dossier: Dossier, actor: User | None, day: date | None = None) -> None:
    """The actor's role, then the dossier's state, then the actor's unit: the first that fails refuses."""
    if actor is None or actor.role not in ("officer", "admin"):
        raise NotPermitted("only officers assign dossiers")
    if dossier.state not in HANDLERS:
        raise EventNotAllowed(f"nobody is assigned to a dossier in state '{dossier.state}'")
    if not can_assign(actor, dossier, day):
        raise NotPermitted("only an officer of the unit that must act on the dossier assigns it")


def assign_dossier(dossier: Dossier, *, actor: User | None, assignee: User | None, day: date | None = None) -> None:
    """Hand the dossier to `assignee` (None: to nobody), logged; an officer of the acting unit assigns."""
    ensure_may_assign(dossier, actor, day)
    if assignee is not None and not may_be_assigned(assignee, dossier, day):
        raise GuardFailed("the assignee must be an active officer of the unit that must act on the dossier",
                          ["assignee"])
    previous = dossier.assignee
    if previous is assignee:
        return  # the same hands: nothing changes, nothing to log
    _store_assignee(dossier, assignee)
    log_action("dossier.assign", actor=actor, dossier=dossier, obj=dossier, data={
        "from": previous.username if previous else None, "to": assignee.username if assignee else None,
        "summary": f"Phân công: {_name(previous)} → {_name(assignee)}"})


def release_if_moved_on(dossier: Dossier, day: date | None = None) -> None:
    """After an event: an assignee who no longer handles the dossier lets it go (the next unit assigns its own).

    A returned dossier keeps its officer: the resubmission comes back to the unit that returned it. Set on the
    object inside the one door's single flush, so the event still moves the version by one.
    """
    assignee = dossier.assignee
    if assignee is not None and dossier.state != "returned" and not is_handler(assignee, dossier, day):
        dossier.assignee = None


def _store_assignee(dossier: Dossier, assignee: User | None) -> None:
    """A plain UPDATE: assigning is not a change of the dossier itself, so its version (the officers' open pages
    stay current) and its last-change time (the queue's default order) do not move."""
    table = cast(Table, Dossier.__table__)  # typed as a FromClause; a declarative model's own is a Table
    db.session.execute(table.update().where(table.c.id == dossier.id)
                       .values(assignee_id=assignee.id if assignee else None, updated_at=table.c.updated_at))
    set_committed_value(dossier, "assignee_id", assignee.id if assignee else None)
    set_committed_value(dossier, "assignee", assignee)


def _name(user: User | None) -> str:
    if user is None:
        return NOBODY
    return user.full_name or user.username
