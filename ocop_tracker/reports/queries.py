"""Dashboard figures, each one GROUP BY statement over the dossiers the user may see.

Which date the period filters on, per figure (the page says it too):
- dossiers by state and by product set: the receipt date (`received_on`, as the work queue's filter), so a
  period leaves out drafts, never received;
- valid certificates by star: their issue date;
- the funnel: the day each stage was reached (`TransitionRecord.at`; the draft stage: the dossier's creation);
- first-level checks: their due day (`due_on`; checks without a due day are left out);
- upgrade and re-rating rounds: the day the round was opened;
- certificates expiring in the next six months: no period, always from today.

At national scale (issue 13) every figure is one aggregate whatever the number of dossiers: an administrator's
scope is not tested row by row (it is every dossier), the funnel counts on the history's (to_state, at,
dossier_id) index, and the lists behind the page (expiring certificates) are read a page at a time with a count.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import ColumnElement, Select, and_, case, distinct, func, literal, union_all

from ..accounts.models import AdministrativeUnit, Organisation, User
from ..clock import VIETNAM
from ..deadlines.models import Deadline
from ..dossiers.models import Dossier, TransitionRecord
from ..dossiers.permissions import visible_dossiers
from ..dossiers.queries import QueuePage
from ..extensions import db
from ..products.models import Product, ProductSet
from ..registry.models import Certificate
from ..reviews.models import EvaluationRound
from ..workflow import FIRST_LEVEL_CHECK, IN_REVIEW

# Funnel stages: the states whose reaching counts as reaching the stage (the draft stage is creation).
FUNNEL = {"submitted": FIRST_LEVEL_CHECK, "star_rating": frozenset({"star_rating"}),
          "certified": frozenset({"certified"})}
CHECK_COLUMNS = ("on_time", "late", "open", "overdue")
PIPELINE_KINDS = ("upgrade", "re_rating")
PIPELINE_COLUMNS = ("preparing", "in_review", "certified", "not_recognised", "cancelled", "closed")
EXPIRY_HORIZON = relativedelta(months=6)


@dataclass(frozen=True)
class ReportFilters:
    date_from: date | None = None
    date_to: date | None = None
    unit_id: int | None = None


def visible_ids(user: User, filters: ReportFilters) -> Select:
    """Ids of the dossiers the user may see, inside the chosen unit (the producer's unit, as in the queue)."""
    statement = visible_dossiers(user, db.select(Dossier.id))
    if filters.unit_id:
        unit = db.session.get(AdministrativeUnit, filters.unit_id)
        inside = db.select(AdministrativeUnit.id).where(AdministrativeUnit.path.startswith(unit.path if unit else "-"))
        statement = statement.where(Dossier.product.has(Product.organisation.has(Organisation.unit_id.in_(inside))))
    return statement


def in_scope(column, user: User, filters: ReportFilters) -> list[ColumnElement[bool]]:
    """The dossier id column inside what the user may see: no condition at all when that is every dossier (an
    administrator without a unit filter), so PostgreSQL never joins 100,000 ids to themselves."""
    if user.role == "admin" and not filters.unit_id:
        return []
    return [column.in_(visible_ids(user, filters))]


def _scope_once(user: User, filters: ReportFilters) -> Callable[[Any], list[ColumnElement[bool]]]:
    """in_scope for a statement that tests it several times: the visible ids read once (a WITH query)."""
    if user.role == "admin" and not filters.unit_id:
        return lambda _column: []
    visible = visible_ids(user, filters).cte("visible")
    return lambda column: [column.in_(db.select(visible.c.id))]


def _on_days(column, filters: ReportFilters) -> list[ColumnElement[bool]]:
    """A date column inside the period (both ends included)."""
    return ([column >= filters.date_from] if filters.date_from else []) + (
        [column <= filters.date_to] if filters.date_to else [])


def _at_moments(column, filters: ReportFilters) -> list[ColumnElement[bool]]:
    """A time column inside the period's Vietnamese days."""
    def start(day: date) -> datetime:  # in UTC, as times are stored (SQLite compares wall-clock text)
        return datetime.combine(day, time.min, tzinfo=VIETNAM).astimezone(UTC)
    return ([column >= start(filters.date_from)] if filters.date_from else []) + (
        [column < start(filters.date_to + timedelta(days=1))] if filters.date_to else [])


def _dossiers(user: User, filters: ReportFilters, *columns) -> Select:
    return db.select(*columns).select_from(Dossier).where(
        *in_scope(Dossier.id, user, filters), *_on_days(Dossier.received_on, filters))


def dossiers_by_state(user: User, filters: ReportFilters) -> dict[str, int]:
    statement = _dossiers(user, filters, Dossier.state, func.count(Dossier.id)).group_by(Dossier.state)
    return dict(db.session.execute(statement).all())


def dossiers_by_product_set(user: User, filters: ReportFilters) -> list[tuple[int, str, str, int]]:
    """(number, Vietnamese name, English name, dossiers) per product set with any dossier."""
    # Counted per product_set_id first, then named: the grouping is on one integer, not three texts per row.
    counts = _dossiers(user, filters, Product.product_set_id.label("set_id"), func.count(Dossier.id).label("count")
                       ).join(Product, Dossier.product_id == Product.id).group_by(Product.product_set_id).subquery()
    statement = db.select(ProductSet.number, ProductSet.name_vi, ProductSet.name_en, counts.c.count).join(
        counts, counts.c.set_id == ProductSet.id).order_by(ProductSet.number)
    return [tuple(row) for row in db.session.execute(statement)]


def certificates_by_star(user: User, filters: ReportFilters) -> dict[int, int]:
    """Valid certificates per star, issued in the period."""
    statement = db.select(Certificate.star, func.count(Certificate.id)).where(
        Certificate.status == "valid", *in_scope(Certificate.dossier_id, user, filters),
        *_on_days(Certificate.issued_on, filters)).group_by(Certificate.star)
    return dict(db.session.execute(statement).all())


def funnel(user: User, filters: ReportFilters) -> dict[str, int]:
    """How many dossiers reached each stage, each counted once however often it got there (one statement)."""
    scope = _scope_once(user, filters)
    created = db.select(literal("draft").label("stage"), func.count(Dossier.id)).where(
        *scope(Dossier.id), *_at_moments(Dossier.created_at, filters))
    counts: dict[str, int] = {stage: count for stage, count in db.session.execute(
        union_all(created, *(_reached_in_scope(scope, filters) if scope(Dossier.id) else _reached_anywhere(filters))))}
    return {name: counts.get(name, 0) for name in ("draft", *FUNNEL)}


def _reached_anywhere(filters: ReportFilters) -> list[Select]:
    """Every dossier: one count per stage, each read off its states' range of the (to_state, at, dossier_id) index
    (only the period's part when there is one), never the table, never grouped by dossier (100,000 groups spill)."""
    return [db.select(literal(name).label("stage"), func.count(distinct(TransitionRecord.dossier_id))).where(
        TransitionRecord.to_state.in_(sorted(states)), *_at_moments(TransitionRecord.at, filters))
        for name, states in FUNNEL.items()]


def _reached_in_scope(scope: Callable[[Any], list[ColumnElement[bool]]], filters: ReportFilters) -> list[Select]:
    """A unit's dossiers: one pass over their history by dossier id, each (dossier, stage) once."""
    # Grouped outside a subquery: PostgreSQL cannot match a GROUP BY expression that carries bound values.
    stage = case(*((TransitionRecord.to_state.in_(states), name) for name, states in FUNNEL.items()))
    reached = db.select(TransitionRecord.dossier_id, stage.label("stage")).where(
        TransitionRecord.to_state.in_([s for states in FUNNEL.values() for s in states]),
        *scope(TransitionRecord.dossier_id), *_at_moments(TransitionRecord.at, filters)).distinct().subquery()
    return [db.select(reached.c.stage, func.count()).group_by(reached.c.stage)]


def first_level_checks(user: User, filters: ReportFilters, today: date) -> list[tuple]:
    """(unit id, unit name, on time, late, open, overdue) per reviewing unit, for checks due in the period."""
    unit = db.aliased(AdministrativeUnit)
    met = Deadline.met_on.is_not(None)

    def counted(condition) -> ColumnElement[int]:
        return func.sum(case((condition, 1), else_=0))
    statement = db.select(
        unit.id, unit.name, counted(and_(met, Deadline.met_on <= Deadline.due_on)),
        counted(and_(met, Deadline.met_on > Deadline.due_on)), counted(and_(~met, Deadline.due_on >= today)),
        counted(and_(~met, Deadline.due_on < today)),
    ).select_from(Deadline).join(Dossier, Deadline.dossier_id == Dossier.id).join(
        unit, Dossier.review_unit_id == unit.id).where(
        Deadline.kind == "first_level_check", Deadline.due_on.is_not(None),
        *in_scope(Dossier.id, user, filters), *_on_days(Deadline.due_on, filters))
    return [tuple(row) for row in db.session.execute(
        statement.group_by(unit.id, unit.name).order_by(unit.name, unit.id))]


def _expiring_conditions(user: User, filters: ReportFilters, today: date) -> list[ColumnElement[bool]]:
    return [Certificate.status == "valid", Certificate.expires_on >= today,
            Certificate.expires_on <= today + EXPIRY_HORIZON, *in_scope(Certificate.dossier_id, user, filters)]


def expiring_certificates(user: User, filters: ReportFilters, today: date) -> Select:
    """(certificate, product name, organisation name) valid and ending within six months, soonest first: a
    statement, for the page to read its first rows, a page of them, or stream them all."""
    return db.select(Certificate, Product.name, Organisation.name).join(
        Dossier, Certificate.dossier_id == Dossier.id).join(Product, Dossier.product_id == Product.id).join(
        Organisation, Product.organisation_id == Organisation.id).where(
        *_expiring_conditions(user, filters, today)).order_by(Certificate.expires_on, Certificate.id)


def expiring_first(user: User, filters: ReportFilters, today: date, limit: int) -> list[tuple]:
    """The soonest `limit` rows of the expiring list."""
    return [tuple(row) for row in db.session.execute(expiring_certificates(user, filters, today).limit(limit))]


def expiring_page(user: User, filters: ReportFilters, today: date, *, page: int, per_page: int) -> QueuePage[tuple]:
    """One page of the expiring list, as the dossier list pages its rows (a page past the last is empty)."""
    statement = expiring_certificates(user, filters, today).limit(per_page).offset((page - 1) * per_page)
    return QueuePage([tuple(row) for row in db.session.execute(statement)], page, per_page,
                     expiring_count(user, filters, today))


def expiring_count(user: User, filters: ReportFilters, today: date) -> int:
    """How many certificates the expiring list holds, counted on the certificates' expiry index."""
    return db.session.scalar(db.select(func.count(Certificate.id)).where(
        *_expiring_conditions(user, filters, today))) or 0


def _pipeline_stage() -> ColumnElement[str]:
    """Where an upgrade or re-rating round stands: its decision, else the dossier's state in that round."""
    current = Dossier.round_number == EvaluationRound.number
    return case(
        (EvaluationRound.decision.in_(("certified", "not_recognised", "cancelled")), EvaluationRound.decision),
        (and_(current, Dossier.state == EvaluationRound.kind), "preparing"),
        (and_(current, Dossier.state.in_(IN_REVIEW)), "in_review"),
        else_="closed")  # withdrawn, or left behind without a decision


def pipeline(user: User, filters: ReportFilters) -> dict[tuple[str, str], int]:
    """{(round kind, stage): rounds} for upgrade and re-rating rounds opened in the period."""
    rounds = db.select(EvaluationRound.kind, _pipeline_stage().label("stage")).join(
        Dossier, EvaluationRound.dossier_id == Dossier.id).where(
        EvaluationRound.kind.in_(PIPELINE_KINDS), *in_scope(Dossier.id, user, filters),
        *_at_moments(EvaluationRound.opened_at, filters)).subquery()
    statement = db.select(rounds.c.kind, rounds.c.stage, func.count()).group_by(rounds.c.kind, rounds.c.stage)
    return {(kind, stage): count for kind, stage, count in db.session.execute(statement)}


def certificate_register(user: User) -> Select:
    """Every certificate of the dossiers the user may see (administrators: all), newest first, as plain columns:
    (code, product, organisation, unit, star, issued on, valid through, status, recognised by, dossier id, rule set)."""
    unit = db.aliased(AdministrativeUnit)
    return db.select(
        Certificate.code, Product.name, Organisation.name, unit.name, Certificate.star, Certificate.issued_on,
        Certificate.expires_on, Certificate.status, Certificate.recognised_by, Certificate.dossier_id,
        Dossier.rule_set).select_from(Certificate).join(
        Dossier, Certificate.dossier_id == Dossier.id).join(Product, Dossier.product_id == Product.id).join(
        Organisation, Product.organisation_id == Organisation.id).join(unit, Organisation.unit_id == unit.id).where(
        *in_scope(Dossier.id, user, ReportFilters())).order_by(Certificate.issued_on.desc(), Certificate.id.desc())
