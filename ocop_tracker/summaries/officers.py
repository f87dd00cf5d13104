"""The officer's sections for many units at once (`send-summaries`): one statement per section for the whole batch,
each unit's first rows picked by `row_number() OVER (PARTITION BY unit …)` and its totals by `count(*) OVER …`.

Only for the officers whose scope is one unit's own dossiers, the officers of most units:
- an abolished unit (a former district): permissions.visible_dossiers keeps them to `review_unit_id = unit`;
- a unit below the province without units under it (a commune): `review_unit.path LIKE unit.path || '%'` is the
  unit alone, since a unit's path is its parents' path and its own id.
For them, dossiers/awaiting.py's "waiting for me" is the dossiers their unit checks first (`REVIEWING_OFFICER`,
and `DECIDING_OFFICER` for a district-level result) while the unit is not abolished; the province's part of it
(`_provincial`) is false below the province. A province's officers and the administrators keep the per-user queries
(few of them, and a province's people share them). tests/summaries/test_officer_batch.py holds each unit's rows and
totals equal to the dossier list's own queue (`dossier_queue`, `queue_counts`).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Select, and_, case, func, or_
from sqlalchemy.orm import defer, joinedload

from ..accounts.models import AdministrativeUnit, User
from ..deadlines.queries import due_condition, next_deadlines
from ..dossiers.models import Dossier, TransitionRecord
from ..dossiers.queries import QueuePage
from ..extensions import db
from ..products.models import Product
from ..registry.models import Certificate
from ..workflow import DECIDING_OFFICER, REVIEWING_OFFICER, WAITING_FOR
from .lines import Reported, day_start

_PRODUCT_LOADED = joinedload(Dossier.product).joinedload(Product.organisation)
REVIEWING_STATES = tuple(s for s, actor in WAITING_FOR.items() if actor == REVIEWING_OFFICER)
DECIDING_STATES = tuple(s for s, actor in WAITING_FOR.items() if actor == DECIDING_OFFICER)
QUEUE_ORDER = (Dossier.updated_at.desc(), Dossier.id.desc())  # the list's default order (dossiers/queries._order)


@dataclass
class UnitRows:
    """What an officer's sections list for one unit: its three queue pages, arrivals and expiring certificates."""

    overdue: QueuePage
    due_soon: QueuePage
    awaiting: QueuePage
    arrivals: list[TransitionRecord] = field(default_factory=list)
    arrived: int = 0
    expiring: list[Certificate] = field(default_factory=list)
    expiring_total: int = 0


def unit_scoped(officers: list[User]) -> dict[int, AdministrativeUnit]:
    """The officers whose sections this module builds (see above), user id → unit: one statement for the units
    with units under them."""
    candidates = {u.id: u.unit for u in officers
                  if u.role == "officer" and u.unit is not None and u.unit.level != "province"}
    open_ids = {unit.id for unit in candidates.values() if unit.abolished_on is None}
    parents = set(db.session.scalars(db.select(AdministrativeUnit.parent_id).distinct()
                                     .where(AdministrativeUnit.parent_id.in_(open_ids)))) if open_ids else set()
    return {user_id: unit for user_id, unit in candidates.items()
            if unit.abolished_on is not None or unit.id not in parents}


def _abolished(unit: AdministrativeUnit, today: date) -> bool:
    return unit.abolished_on is not None and unit.abolished_on <= today


def _pages(units: list[AdministrativeUnit], today: date, limit: int) -> dict[int, tuple[QueuePage, QueuePage, QueuePage]]:
    """Each unit's overdue, due-soon and awaiting pages (first `limit` rows, totals): one statement, and one for
    the rows' next deadlines."""
    acting = [u.id for u in units if not _abolished(u, today)]  # an abolished unit waits for nothing
    pages: dict[int, tuple[QueuePage, QueuePage, QueuePage]] = {}
    found: dict[int, list[list[Dossier]]] = defaultdict(lambda: [[], [], []])
    totals: dict[int, tuple[int, int, int]] = {}
    if acting:
        waits = and_(Dossier.review_unit_id.in_(acting), Dossier.state != "draft",
                     or_(Dossier.state.in_(REVIEWING_STATES),
                         and_(Dossier.state.in_(DECIDING_STATES), Dossier.level == "district")))
        flags = (db.select(Dossier.id, Dossier.review_unit_id.label("unit"), Dossier.updated_at,
                           case((due_condition("overdue", today), 1), else_=0).label("overdue"),
                           case((due_condition("due_soon", today), 1), else_=0).label("soon"))
                 .where(waits).subquery())
        order = (flags.c.updated_at.desc(), flags.c.id.desc())

        def rank(*within):
            return func.row_number().over(partition_by=(flags.c.unit, *within), order_by=order)

        ranked = db.select(flags.c.id, flags.c.unit, flags.c.overdue, flags.c.soon,
                           rank().label("rank"), rank(flags.c.overdue).label("overdue_rank"),
                           rank(flags.c.soon).label("soon_rank"),
                           func.count().over(partition_by=flags.c.unit).label("total"),
                           func.sum(flags.c.overdue).over(partition_by=flags.c.unit).label("overdue_total"),
                           func.sum(flags.c.soon).over(partition_by=flags.c.unit).label("soon_total")).subquery()
        rows = db.session.execute(
            db.select(Dossier, ranked.c.unit, ranked.c.overdue, ranked.c.soon, ranked.c.rank, ranked.c.overdue_rank,
                      ranked.c.soon_rank, ranked.c.total, ranked.c.overdue_total, ranked.c.soon_total)
            .join(ranked, ranked.c.id == Dossier.id)
            .where(or_(ranked.c.rank <= limit, and_(ranked.c.overdue == 1, ranked.c.overdue_rank <= limit),
                       and_(ranked.c.soon == 1, ranked.c.soon_rank <= limit)))
            .order_by(ranked.c.unit, *QUEUE_ORDER).options(_PRODUCT_LOADED, defer(Dossier.rules_snapshot)))
        for dossier, unit, overdue, soon, first, overdue_rank, soon_rank, total, overdue_total, soon_total in rows:
            lists = found[unit]
            if overdue and overdue_rank <= limit:
                lists[0].append(dossier)
            if soon and soon_rank <= limit:
                lists[1].append(dossier)
            if first <= limit:
                lists[2].append(dossier)
            totals[unit] = (int(overdue_total), int(soon_total), int(total))
    deadlines = next_deadlines([d for lists in found.values() for d in {d.id: d for ds in lists for d in ds}.values()],
                               today)
    for unit in units:
        lists, counts = found.get(unit.id, [[], [], []]), totals.get(unit.id, (0, 0, 0))
        overdue, soon, awaiting = (QueuePage(items, 1, limit, count, {d.id: deadlines[d.id] for d in items})
                                   for items, count in zip(lists, counts, strict=True))
        pages[unit.id] = overdue, soon, awaiting
    return pages


def first_per(base: Select, entity, key, order: tuple, limit: int, loaded) -> dict[int | None, tuple[list, int]]:
    """The first `limit` rows of `entity` per `key` (a unit, an organisation) and how many there are in all, in one
    statement: `base` selects the entity's rows (joined and filtered as the recipients may see them)."""
    ranked = base.with_only_columns(entity.id.label("id"), key.label("key"),
                                    func.row_number().over(partition_by=key, order_by=order).label("rank"),
                                    func.count().over(partition_by=key).label("total")).subquery()
    found: dict[int | None, tuple[list, int]] = {}
    for row, key_value, total in db.session.execute(
            db.select(entity, ranked.c.key, ranked.c.total).join(ranked, ranked.c.id == entity.id)
            .where(ranked.c.rank <= limit).order_by(ranked.c.key, *order).options(loaded)):
        found.setdefault(key_value, ([], int(total)))[0].append(row)
    return found


def unit_rows(units: list[AdministrativeUnit], today: date, days: Reported, *, limit: int, horizon: int,
              arrival_events: tuple[str, ...], record_loaded) -> dict[int, UnitRows]:
    """Every unit's rows in five statements whatever the number of units and dossiers (what visible_dossiers lets
    these officers see: their unit's dossiers but drafts)."""
    if not units:
        return {}
    ids = [u.id for u in units]
    seen = (Dossier.review_unit_id.in_(ids), Dossier.state != "draft")
    pages = _pages(units, today, limit)
    arrivals = first_per(
        db.select(TransitionRecord).join(Dossier, TransitionRecord.dossier_id == Dossier.id).where(
            *seen, TransitionRecord.event.in_(arrival_events), TransitionRecord.at >= day_start(days.since),
            TransitionRecord.at < day_start(days.until)),
        TransitionRecord, Dossier.review_unit_id, (TransitionRecord.at, TransitionRecord.id), limit, record_loaded)
    expiring = first_per(
        db.select(Certificate).join(Dossier, Certificate.dossier_id == Dossier.id).where(
            *seen, Certificate.status == "valid", Certificate.expires_on >= today,
            Certificate.expires_on <= today + timedelta(days=horizon)),
        Certificate, Dossier.review_unit_id, (Certificate.expires_on, Certificate.id), limit,
        joinedload(Certificate.dossier).joinedload(Dossier.product))
    found = {}
    for unit_id in ids:
        overdue, soon, awaiting = pages[unit_id]
        records, arrived = arrivals.get(unit_id, ([], 0))
        certificates, expiring_total = expiring.get(unit_id, ([], 0))
        found[unit_id] = UnitRows(overdue, soon, awaiting, records, arrived, certificates, expiring_total)
    return found
