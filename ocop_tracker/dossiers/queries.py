"""Read-side queries over dossiers: a fixed number of statements whatever the page size."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Generic, TypeVar

from flask import abort
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import ColumnElement, Date, Integer, Select, and_, case, cast, func, literal, null, or_, true, union_all
from sqlalchemy.orm import defer, joinedload

from ..accounts.models import AdministrativeUnit, Organisation, User
from ..deadlines.models import Deadline as DeadlineRow
from ..deadlines.queries import due_condition, next_deadlines
from ..deadlines.status import DeadlineView
from ..extensions import db
from ..products.models import Product
from .awaiting import awaiting_condition
from .models import Dossier
from .permissions import visible_dossiers
from .search import search_condition

SORTS = ("updated", "due", "received")
UNASSIGNED = "none"  # the assignee filter's value for dossiers nobody handles yet


def _with_rows_loaded(statement: Select, sort: str = "updated", today: date | None = None) -> Select:
    return statement.options(
        joinedload(Dossier.product).joinedload(Product.product_set),
        joinedload(Dossier.product).joinedload(Product.organisation).joinedload(Organisation.unit),
        joinedload(Dossier.review_unit), joinedload(Dossier.assignee),
        defer(Dossier.rules_snapshot),  # ~1.4 KB of JSON per row that no list reads (only a dossier page does)
    ).order_by(*_order(sort, today))


def _still_open(today: date | None) -> ColumnElement[bool]:
    """An open deadline that still asks something (a re-rating window that closed unfiled asks nothing more, as
    deadlines.queries.pick_next says)."""
    still_open = DeadlineRow.kind != "re_rating_filing"
    if today is not None:
        still_open = or_(still_open, DeadlineRow.due_on >= today)
    return and_(DeadlineRow.met_on.is_(None), still_open)


def _next_due(today: date | None):
    """SQL, correlated to the dossier: the earliest due day of its open deadlines."""
    return (db.select(func.min(DeadlineRow.due_on)).where(DeadlineRow.dossier_id == Dossier.id, _still_open(today))
            .correlate(Dossier).scalar_subquery())


def _order(sort: str, today: date | None) -> tuple:
    """Nulls last, written so SQLite and PostgreSQL sort alike; the id breaks ties so pages never overlap."""
    if sort == "due":
        due = _next_due(today)
        return due.is_(None), due, Dossier.id
    if sort == "received":
        return Dossier.received_on.is_(None), Dossier.received_on, Dossier.id  # the longest waiting first
    return Dossier.updated_at.desc(), Dossier.id.desc()


def _ids_by_due(chosen_ids: Select, today: date) -> Select:
    """The chosen ids in _order's "due" order, without asking each chosen file for its next due day: the files with
    a due day (their open deadlines grouped once), then those without one, by number. PostgreSQL asked the
    correlated min() of all 100,000 files for an administrator's first page (0.9 s); a join of the grouped
    deadlines to the chosen files, tried first, fell into a nested loop where a unit filter made PostgreSQL expect
    one file (a province's officer: 72 -> 768 ms). Here each part is a semi- or anti-join, bounded either way."""
    dated = and_(_still_open(today), DeadlineRow.due_on.is_not(None))
    with_due = (db.select(DeadlineRow.dossier_id.label("id"), literal(0, Integer).label("part"),
                          func.min(DeadlineRow.due_on).label("due_on"))
                .where(dated, DeadlineRow.dossier_id.in_(chosen_ids)).group_by(DeadlineRow.dossier_id))
    without = chosen_ids.add_columns(literal(1, Integer).label("part"), cast(null(), Date).label("due_on")).where(
        ~db.select(DeadlineRow.id).where(DeadlineRow.dossier_id == Dossier.id, dated).exists())
    both = union_all(with_due, without).subquery("by_due")
    return db.select(both.c.id).order_by(both.c.part, both.c.due_on, both.c.id)


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


@dataclass
class QueueFilters:
    state: str | None = None
    due: str | None = None  # awaiting, due_soon or overdue
    product_set_id: int | None = None
    unit_id: int | None = None
    received_from: date | None = None
    received_to: date | None = None
    q: str = ""  # product, producer, dossier code or certificate code
    assignee: int | str | None = None  # a user's id, or UNASSIGNED
    sort: str = "updated"  # one of SORTS
    # Not a filter: the ids of the user's unit and those below it, when the page read them (its unit filter's
    # choices), so that permissions.visible_dossiers can say "this one unit" plainly; () when not read.
    scope: tuple[int, ...] = ()


ItemT = TypeVar("ItemT")  # a dossier; the public registry pages certificates the same way


@dataclass
class QueuePage(Generic[ItemT]):
    """One page of dossiers with their next deadline (the shape of a Flask-SQLAlchemy page)."""

    items: list[ItemT]
    page: int
    per_page: int
    total: int
    deadlines: dict[int, DeadlineView | None] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    has_prev = property(lambda self: self.page > 1)
    has_next = property(lambda self: self.page < self.pages)
    prev_num = property(lambda self: self.page - 1)
    next_num = property(lambda self: self.page + 1)


def _filtered(user: User, filters: QueueFilters, today: date) -> Select:
    return _with_rows_loaded(_chosen(user, filters, today), filters.sort, today)


def _chosen(user: User, filters: QueueFilters, today: date) -> Select:
    """The dossiers after the queue's filters, nothing loaded and in no order."""
    statement = visible_dossiers(user, db.select(Dossier), filters.scope)
    if filters.state:
        statement = statement.where(Dossier.state == filters.state)
    if filters.due:
        statement = statement.where(awaiting_condition(user, today))
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
    return _searched(statement, filters)


def _searched(statement: Select, filters: QueueFilters) -> Select:
    """The text search and the assignee filter."""
    found = search_condition(filters.q)
    if found is not None:
        statement = statement.where(found)
    if filters.assignee == UNASSIGNED:
        statement = statement.where(Dossier.assignee_id.is_(None))
    elif filters.assignee is not None:
        statement = statement.where(Dossier.assignee_id == filters.assignee)
    return statement


def dossier_queue(user: User, filters: QueueFilters, *, today: date, page: int = 1, per_page: int = 25,
                  total: int | None = None) -> QueuePage:
    """The user's dossiers after filters, each with its next deadline (one statement for the whole page);
    `total`: the caller counted them already (queue_counts), so the page is read without a count."""
    chosen = _chosen(user, filters, today)
    page = max(page, 1)
    if total is None:
        total = db.session.scalar(db.select(func.count()).select_from(chosen.order_by(None).subquery())) or 0
    # The page's ids first, off the indexes alone where they hold what the filters read, then those rows with
    # what they show: never every row that qualifies joined to its product and units (issue 13).
    chosen_ids = chosen.with_only_columns(Dossier.id).order_by(None)
    ordered = (_ids_by_due(chosen_ids, today) if filters.sort == "due" and db.engine.dialect.name == "postgresql"
               else chosen_ids.order_by(*_order(filters.sort, today)))  # SQLite answers the min() faster in-process
    ids = ordered.limit(per_page).offset((page - 1) * per_page).subquery("page_ids")
    # Joined, not `IN`: PostgreSQL then starts from the page's ids (a semi-join it planned over every dossier).
    rows = db.select(Dossier).join(ids, Dossier.id == ids.c.id)
    items = list(db.session.scalars(_with_rows_loaded(rows, filters.sort, today)))
    return QueuePage(items, page, per_page, total, next_deadlines(items, today))


def filtered_dossiers(user: User, filters: QueueFilters, *, today: date) -> Select:
    """The queue's dossiers after filters, in the list's order, without pagination and with nothing loaded: a
    download chooses the columns it writes (plain rows stream several times faster than entities)."""
    return _chosen(user, filters, today).order_by(*_order(filters.sort, today))


def _tab_conditions(user: User, today: date) -> dict[str, ColumnElement[bool]]:
    """What each tab of the queue counts among what waits for the user (queue_counts filters by that once)."""
    return {"awaiting": true(),
            "due_soon": due_condition("due_soon", today),
            "overdue": due_condition("overdue", today),
            "mine": Dossier.assignee_id == user.id,
            "unassigned": Dossier.assignee_id.is_(None)}


def queue_counts(user: User, today: date, scope: tuple[int, ...] = ()) -> dict[str, int]:
    """How many dossiers each tab of the queue holds, in one statement whatever the queue's size. Every tab lies
    inside "awaiting me", so that condition is written once, in WHERE, where PostgreSQL turns its IN lists into
    semi-joins; inside five CASEs it was planned five times as per-row subplans (and JIT-compiled: 8 s at 100,000).
    `scope` as QueueFilters.scope."""
    conditions = _tab_conditions(user, today)
    columns = [func.coalesce(func.sum(case((condition, 1), else_=0)), 0).label(tab)
               for tab, condition in conditions.items()]
    statement = db.select(*columns).select_from(Dossier).where(awaiting_condition(user, today))
    row = db.session.execute(visible_dossiers(user, statement, scope)).one()
    return {tab: int(row[i]) for i, tab in enumerate(conditions)}
