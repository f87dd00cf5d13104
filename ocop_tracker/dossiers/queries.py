"""Read-side queries over dossiers: a fixed number of statements whatever the page size."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from flask import abort
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select
from sqlalchemy.orm import joinedload

from ..accounts.models import AdministrativeUnit, Organisation, User
from ..deadlines.queries import due_condition, next_deadlines
from ..extensions import db
from ..products.models import Product
from ..workflow import COUNCIL, DECIDING_OFFICER, PRODUCER, PROVINCIAL_OFFICER, REVIEWING_OFFICER, WAITING_FOR
from .deadlines import Deadline
from .models import Dossier
from .permissions import visible_dossiers


def _with_rows_loaded(statement: Select) -> Select:
    return statement.options(
        joinedload(Dossier.product).joinedload(Product.product_set),
        joinedload(Dossier.product).joinedload(Product.organisation).joinedload(Organisation.unit),
        joinedload(Dossier.review_unit),
    ).order_by(Dossier.updated_at.desc(), Dossier.id.desc())


def list_dossiers(user: User, *, state: str | None = None, page: int = 1, per_page: int = 25) -> Pagination:
    """The dossiers the user may see, newest first, with product, organisation and unit loaded."""
    statement = visible_dossiers(user, db.select(Dossier))
    if state:
        statement = statement.where(Dossier.state == state)
    return db.paginate(_with_rows_loaded(statement), page=page, per_page=per_page, max_per_page=per_page,
                       error_out=False)


def visible_dossier_or_404(user: User, dossier_id: int) -> Dossier:
    """The dossier when the user may see it; a 404 otherwise, so other organisations' ids reveal nothing."""
    statement = visible_dossiers(user, db.select(Dossier).where(Dossier.id == dossier_id))
    dossier = db.session.scalar(statement)
    if dossier is None:
        abort(404)
    return dossier


def actor_kinds(user: User) -> set[str]:
    """Which of the workflow's actors this user can be."""
    if user.role == "producer":
        return {PRODUCER}
    if user.role == "council_member":
        return {COUNCIL}
    level = user.unit.level if user.unit is not None else None
    if user.role == "admin" or level == "province":
        return {PROVINCIAL_OFFICER, DECIDING_OFFICER}
    return {REVIEWING_OFFICER, DECIDING_OFFICER} if level == "district" else {REVIEWING_OFFICER}


def awaiting_states(user: User) -> list[str]:
    """The states in which a visible dossier waits for this user."""
    kinds = actor_kinds(user)
    return [state for state, actor in WAITING_FOR.items() if actor in kinds]


@dataclass
class QueueFilters:
    state: str | None = None
    due: str | None = None  # awaiting, due_soon or overdue
    product_set_id: int | None = None
    unit_id: int | None = None
    received_from: date | None = None
    received_to: date | None = None


@dataclass
class QueuePage:
    """One page of dossiers with their next deadline (the shape of a Flask-SQLAlchemy page)."""

    items: list[Dossier]
    page: int
    per_page: int
    total: int
    deadlines: dict[int, Deadline | None] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    has_prev = property(lambda self: self.page > 1)
    has_next = property(lambda self: self.page < self.pages)
    prev_num = property(lambda self: self.page - 1)
    next_num = property(lambda self: self.page + 1)


def _filtered(user: User, filters: QueueFilters, today: date) -> Select:
    statement = visible_dossiers(user, db.select(Dossier))
    if filters.state:
        statement = statement.where(Dossier.state == filters.state)
    if filters.due:
        statement = statement.where(Dossier.state.in_(awaiting_states(user)))
    if filters.due in ("due_soon", "overdue"):
        statement = statement.where(due_condition(filters.due, today))
    if filters.product_set_id:
        statement = statement.where(Dossier.product.has(Product.product_set_id == filters.product_set_id))
    if filters.unit_id:
        unit = db.session.get(AdministrativeUnit, filters.unit_id)
        inside = db.select(AdministrativeUnit.id).where(AdministrativeUnit.path.startswith(unit.path if unit else "-"))
        statement = statement.where(Dossier.product.has(Product.organisation.has(Organisation.unit_id.in_(inside))))
    if filters.received_from:
        statement = statement.where(Dossier.received_on >= filters.received_from)
    if filters.received_to:
        statement = statement.where(Dossier.received_on <= filters.received_to)
    return _with_rows_loaded(statement)


def dossier_queue(user: User, filters: QueueFilters, *, today: date, page: int = 1, per_page: int = 25) -> QueuePage:
    """The user's dossiers after filters, each with its next deadline (one statement for the whole page)."""
    found = db.paginate(_filtered(user, filters, today), page=page, per_page=per_page, max_per_page=per_page,
                        error_out=False)
    items = list(found.items)
    return QueuePage(items, found.page, per_page, found.total or 0, next_deadlines(items, today))


def filtered_dossiers(user: User, filters: QueueFilters, *, today: date) -> Select:
    """The queue's dossiers after filters, in the list's order, without pagination (for exports)."""
    return _filtered(user, filters, today)
