"""The dashboard's figures kept in the database per scope, so a page at 100,000 dossiers reads one row (issue 13).

A scope is who sees what (every dossier for an administrator, a unit and below for its officers), the page's
filters and the day (the checks' "overdue" and the expiring list count from today). Its figures are reused for
DASHBOARD_MAX_AGE seconds (0: computed on every visit), recomputed on the page's refresh button at most once per
DASHBOARD_MIN_REFRESH seconds. The row is written with an upsert, so app servers recomputing one scope at once
never fail: the later figures win. The downloads and the expiring list do not read it: they stay live.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import current_app, g
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError

from ..accounts.models import User
from ..extensions import db
from ..models_base import utcnow
from .dashboard import read_figures
from .models import DashboardSnapshot
from .queries import ReportFilters

FORGOTTEN_AFTER = timedelta(days=1)  # a scope nobody recomputed for a day (an old day, a one-off filter)
# In every key: raise it when what dashboard.READS gives changes shape, so app servers of two releases (a rolling
# deploy) never read each other's rows.
FORMAT = "v1"
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Snapshot:
    figures: dict[str, Any]
    taken_at: datetime  # in UTC
    taken_now: bool  # computed by this request: `keep_taken_snapshots` writes it
    key: str

    def age(self) -> float:
        return (utcnow() - self.taken_at).total_seconds()


def scope_key(user: User, filters: ReportFilters, today: date) -> str:
    """The snapshot's key: two users share it only when they see the same figures."""
    if user.role == "admin":
        who = "all"
    else:  # an abolished unit's officers see only their unit's own rounds (dossiers.permissions.visible_dossiers)
        who = f"unit-{user.unit_id}" + ("-abolished" if user.unit and user.unit.abolished_on else "")
    days = [day.isoformat() if day else "" for day in (filters.date_from, filters.date_to)]
    return "|".join((FORMAT, who, today.isoformat(), *days, str(filters.unit_id or "")))


def _kept(key: str) -> Snapshot | None:
    row = db.session.execute(db.select(DashboardSnapshot.figures, DashboardSnapshot.taken_at).where(
        DashboardSnapshot.scope == key)).first()
    if row is None:
        return None
    taken_at = row.taken_at if row.taken_at.tzinfo else row.taken_at.replace(tzinfo=UTC)  # SQLite: naive UTC
    return Snapshot(row.figures, taken_at, False, key)


def _keep(key: str, taken_at: datetime, figures: dict[str, Any]) -> None:
    """Insert or replace the scope's row unless a newer one is already there; forget scopes left for a day."""
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = insert(DashboardSnapshot).values(scope=key, taken_at=taken_at, figures=figures)
    db.session.execute(statement.on_conflict_do_update(
        index_elements=[DashboardSnapshot.scope],
        set_={"taken_at": statement.excluded.taken_at, "figures": statement.excluded.figures},
        where=DashboardSnapshot.taken_at < statement.excluded.taken_at))
    db.session.execute(db.delete(DashboardSnapshot).where(DashboardSnapshot.taken_at < taken_at - FORGOTTEN_AFTER))


def _take(user: User, filters: ReportFilters, today: date, key: str) -> Snapshot:
    snapshot = Snapshot(read_figures(user, filters, today), utcnow(), True, key)
    g.setdefault("dashboard_snapshots_taken", []).append(snapshot)
    return snapshot


def keep_taken_snapshots() -> None:
    """Write the figures this request or run computed, in a transaction of their own, best-effort: the page shows
    them either way. The read is ended first: on SQLite a page's read transaction cannot become a write once
    another connection has committed (SQLITE_BUSY at once, the busy timeout cannot help)."""
    taken = g.pop("dashboard_snapshots_taken", [])
    if not taken:
        return
    db.session.commit()
    try:
        for snapshot in taken:
            _keep(snapshot.key, snapshot.taken_at, snapshot.figures)
        db.session.commit()
    except OperationalError:
        db.session.rollback()
        logger.warning("dashboard figures not kept (the database was busy)", exc_info=True)


def dashboard_snapshot(user: User, filters: ReportFilters, today: date) -> Snapshot:
    """The scope's figures: the kept ones while younger than DASHBOARD_MAX_AGE, else computed now and kept."""
    key = scope_key(user, filters, today)
    kept = _kept(key) if current_app.config["DASHBOARD_MAX_AGE"] > 0 else None
    if kept is not None and kept.age() < current_app.config["DASHBOARD_MAX_AGE"]:
        return kept
    return _take(user, filters, today, key)


def refresh_snapshot(user: User, filters: ReportFilters, today: date) -> Snapshot:
    """Recompute the scope's figures now, unless they were taken less than DASHBOARD_MIN_REFRESH seconds ago (many
    clicks, or many officers of one unit, cost one recompute): then the kept ones, taken_now False."""
    key = scope_key(user, filters, today)
    kept = _kept(key)
    if kept is not None and kept.age() < current_app.config["DASHBOARD_MIN_REFRESH"]:
        return kept
    return _take(user, filters, today, key)
