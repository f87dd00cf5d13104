"""The officers' sections for many units at once (`send-summaries`): one statement per section for the whole batch,
each unit's first rows picked by `row_number() OVER (PARTITION BY unit …)` and its totals by `count(*) OVER …`.

Officers whose scope is one unit's own dossiers, the officers of most units:
- an abolished unit (a former district): permissions.visible_dossiers keeps them to `review_unit_id = unit`;
- a unit below the province without units under it (a commune): `review_unit.path LIKE unit.path || '%'` is the
  unit alone, since a unit's path is its parents' path and its own id.
For them, dossiers/awaiting.py's "waiting for me" is the dossiers their unit checks first (`REVIEWING_OFFICER`,
and `DECIDING_OFFICER` for a district-level result) while the unit is not abolished; the province's part of it
(`_provincial`) is false below the province.
A province's officers: the same conditions written over a join to the batch's provinces (province_rows).
The administrators (they see every dossier) and the officers of a unit on the map with units under it keep the
per-user queries. tests/summaries/test_batch.py holds each unit's rows and totals equal to what its officer gets
alone and to the dossier list's own queue (`dossier_queue`, `queue_counts`).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Select, and_, case, func, or_
from sqlalchemy.orm import aliased, defer, joinedload

from ..accounts.models import AdministrativeUnit, User
from ..deadlines.queries import due_condition, next_deadlines
from ..dossiers.models import Dossier, TransitionRecord
from ..dossiers.queries import QueuePage
from ..extensions import db
from ..registry.models import Certificate
from ..workflow import DECIDING_OFFICER, PROVINCIAL_OFFICER, REVIEWING_OFFICER, WAITING_FOR
from .lines import PRODUCT_LOADED, RECORD_LOADED, Reported, day_start

REVIEWING_STATES = tuple(s for s, actor in WAITING_FOR.items() if actor == REVIEWING_OFFICER)
DECIDING_STATES = tuple(s for s, actor in WAITING_FOR.items() if actor == DECIDING_OFFICER)
PROVINCIAL_STATES = tuple(s for s, actor in WAITING_FOR.items() if actor == PROVINCIAL_OFFICER)
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


def _pages(waiting: Select | None, keys: list[int], today: date, limit: int) -> dict[int, tuple[QueuePage, ...]]:
    """Each key's overdue, due-soon and awaiting pages (first `limit` rows, totals): one statement, and one for the
    rows' next deadlines. `waiting`: (dossier id, key, updated_at) of the dossiers waiting for each key's officers."""
    found: dict[int, list[list[Dossier]]] = defaultdict(lambda: [[], [], []])
    totals: dict[int, tuple[int, int, int]] = {}
    if waiting is not None:
        flags = waiting.add_columns(case((due_condition("overdue", today), 1), else_=0).label("overdue"),
                                    case((due_condition("due_soon", today), 1), else_=0).label("soon")
                                    ).offset(0).subquery()  # OFFSET 0: PostgreSQL computes the flags once, not per use
        order = (flags.c.updated_at.desc(), flags.c.id.desc())

        def rank(*within):
            return func.row_number().over(partition_by=(flags.c.key, *within), order_by=order)

        ranked = db.select(flags.c.id, flags.c.key, flags.c.overdue, flags.c.soon,
                           rank().label("rank"), rank(flags.c.overdue).label("overdue_rank"),
                           rank(flags.c.soon).label("soon_rank"),
                           func.count().over(partition_by=flags.c.key).label("total"),
                           func.sum(flags.c.overdue).over(partition_by=flags.c.key).label("overdue_total"),
                           func.sum(flags.c.soon).over(partition_by=flags.c.key).label("soon_total")).subquery()
        rows = db.session.execute(
            db.select(Dossier, ranked.c.key, ranked.c.overdue, ranked.c.soon, ranked.c.rank, ranked.c.overdue_rank,
                      ranked.c.soon_rank, ranked.c.total, ranked.c.overdue_total, ranked.c.soon_total)
            .join(ranked, ranked.c.id == Dossier.id)
            .where(or_(ranked.c.rank <= limit, and_(ranked.c.overdue == 1, ranked.c.overdue_rank <= limit),
                       and_(ranked.c.soon == 1, ranked.c.soon_rank <= limit)))
            .order_by(ranked.c.key, *QUEUE_ORDER).options(PRODUCT_LOADED, defer(Dossier.rules_snapshot)))
        for dossier, key, overdue, soon, first, overdue_rank, soon_rank, total, overdue_total, soon_total in rows:
            lists = found[key]
            if overdue and overdue_rank <= limit:
                lists[0].append(dossier)
            if soon and soon_rank <= limit:
                lists[1].append(dossier)
            if first <= limit:
                lists[2].append(dossier)
            totals[key] = (int(overdue_total), int(soon_total), int(total))
    listed = {d.id: d for lists in found.values() for ds in lists for d in ds}
    deadlines = next_deadlines(list(listed.values()), today)
    return {key: tuple(QueuePage(items, 1, limit, count, {d.id: deadlines[d.id] for d in items})
                       for items, count in zip(found.get(key, [[], [], []]), totals.get(key, (0, 0, 0)), strict=True))
            for key in keys}


def _own_waiting(units: list[AdministrativeUnit], today: date) -> Select | None:
    """The dossiers waiting for the officers of units of their own (see above), with their unit."""
    acting = [u.id for u in units if not _abolished(u, today)]  # an abolished unit waits for nothing
    if not acting:
        return None
    return db.select(Dossier.id, Dossier.review_unit_id.label("key"), Dossier.updated_at).where(
        Dossier.review_unit_id.in_(acting), Dossier.state != "draft",
        or_(Dossier.state.in_(REVIEWING_STATES), and_(Dossier.state.in_(DECIDING_STATES), Dossier.level == "district")))


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


def _rows(keys: list[int], waiting: Select | None, seen, key, today: date, days: Reported, *, limit: int,
          horizon: int, arrival_events: tuple[str, ...]) -> dict[int, UnitRows]:
    """Every key's rows in five statements whatever the number of keys and dossiers; `seen(statement)` narrows a
    SELECT joined to dossiers to what the keys' officers see, `key` names whose it is."""
    pages = _pages(waiting, keys, today, limit)
    arrivals = first_per(
        seen(db.select(TransitionRecord).join(Dossier, TransitionRecord.dossier_id == Dossier.id)).where(
            TransitionRecord.event.in_(arrival_events), TransitionRecord.at >= day_start(days.since),
            TransitionRecord.at < day_start(days.until)),
        TransitionRecord, key, (TransitionRecord.at, TransitionRecord.id), limit, RECORD_LOADED)
    expiring = first_per(
        seen(db.select(Certificate).join(Dossier, Certificate.dossier_id == Dossier.id)).where(
            Certificate.status == "valid", Certificate.expires_on >= today,
            Certificate.expires_on <= today + timedelta(days=horizon)),
        Certificate, key, (Certificate.expires_on, Certificate.id), limit,
        joinedload(Certificate.dossier).options(defer(Dossier.rules_snapshot), joinedload(Dossier.product)))
    found = {}
    for key_value in keys:
        overdue, soon, awaiting = pages[key_value]
        records, arrived = arrivals.get(key_value, ([], 0))
        certificates, expiring_total = expiring.get(key_value, ([], 0))
        found[key_value] = UnitRows(overdue, soon, awaiting, records, arrived, certificates, expiring_total)
    return found


def unit_rows(units: list[AdministrativeUnit], today: date, days: Reported, **given) -> dict[int, UnitRows]:
    """The rows of units of their own (what visible_dossiers lets their officers see: the unit's dossiers but
    drafts), by unit id."""
    if not units:
        return {}
    ids = [u.id for u in units]

    def seen(statement: Select) -> Select:
        return statement.where(Dossier.review_unit_id.in_(ids), Dossier.state != "draft")

    return _rows(ids, _own_waiting(units, today), seen, Dossier.review_unit_id, today, days, **given)


def province_scoped(officers: list[User]) -> dict[int, AdministrativeUnit]:
    """The provincial officers (of a province on the map), user id → province."""
    return {u.id: u.unit for u in officers if u.role == "officer" and u.unit is not None
            and u.unit.level == "province" and u.unit.abolished_on is None}


def _province_waiting(ids: list[int], today: date, *, officers: bool) -> Select:
    """(dossier id, province id, updated_at) of the dossiers waiting for the batch's provinces, as
    dossiers/awaiting.py says for a province (`_province_of`): the files of producers of the province at the
    provincial steps, those checked in a unit abolished since (the province took its place) and the province's own
    checks. `officers`: only those they see (visible_dossiers:
    checked in the province, no drafts); an administrator sees every dossier, and every branch needs the producer
    in the province or the province checking, which is how the provinces are joined."""
    province, review_unit = aliased(AdministrativeUnit), aliased(AdministrativeUnit)
    provincial = Dossier.producer_province_id == province.id  # kept on the dossier, not joined per row (issue 13)
    reviewing = or_(and_(Dossier.review_unit_id == province.id,
                         or_(province.abolished_on.is_(None), province.abolished_on > today)),
                    and_(review_unit.abolished_on.is_not(None), review_unit.abolished_on <= today, provincial))
    deciding = or_(and_(Dossier.level == "district", reviewing),
                   and_(or_(Dossier.level.is_(None), Dossier.level != "district"), provincial))
    mine = (review_unit.path.startswith(province.path) if officers
            else or_(provincial, Dossier.review_unit_id == province.id))
    waiting = (db.select(Dossier.id, province.id.label("key"), Dossier.updated_at)
               .join(review_unit, Dossier.review_unit_id == review_unit.id)
               .join(province, and_(province.id.in_(ids), mine))
               .where(or_(and_(Dossier.state.in_(REVIEWING_STATES), reviewing),
                          and_(Dossier.state.in_(PROVINCIAL_STATES), provincial),
                          and_(Dossier.state.in_(DECIDING_STATES), deciding))))
    return waiting.where(Dossier.state != "draft") if officers else waiting


def province_rows(provinces: list[AdministrativeUnit], today: date, days: Reported, **given) -> dict[int, UnitRows]:
    """The rows of provinces' officers, by province id (see _province_waiting)."""
    if not provinces:
        return {}
    ids = [p.id for p in provinces]
    waiting = _province_waiting(ids, today, officers=True)
    province, review_unit = aliased(AdministrativeUnit), aliased(AdministrativeUnit)

    def seen(statement: Select) -> Select:
        return (statement.join(review_unit, Dossier.review_unit_id == review_unit.id)
                .join(province, and_(province.id.in_(ids), review_unit.path.startswith(province.path)))
                .where(Dossier.state != "draft"))

    return _rows(ids, waiting, seen, province.id, today, days, **given)


def admin_scoped(users: list[User]) -> dict[int, AdministrativeUnit]:
    """The administrators of a province (dossiers/awaiting.py `_province_of`), user id → province."""
    return {u.id: u.unit for u in users if u.role == "admin" and u.unit is not None and u.unit.level == "province"}


def admin_pages(provinces: list[AdministrativeUnit], today: date, limit: int) -> dict[int, QueuePage]:
    """Each province's administrators' "waiting" page (first `limit` rows and the total), by province id."""
    if not provinces:
        return {}
    ids = [p.id for p in provinces]
    return {key: pages[2] for key, pages in _pages(_province_waiting(ids, today, officers=False), ids, today,
                                                    limit).items()}
