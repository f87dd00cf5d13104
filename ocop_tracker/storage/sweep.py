"""Deleting stored files that no row references, once they are older than a grace period, on either backend."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from ..decisions.models import RecognitionDecision
from ..documents.models import Document
from ..extensions import db
from .setup import current_storage

# Every column that holds a stored name: a file named in none of them belongs to no row.
REFERENCE_COLUMNS = (Document.stored_name, RecognitionDecision.file_stored_name)
BATCH = 500


@dataclass
class SweepReport:
    stored: int = 0
    recent: int = 0  # within the grace period: perhaps an upload whose row is about to commit
    referenced: int = 0
    orphans: list[str] = field(default_factory=list)  # deleted, or to be deleted on a dry run


def referenced_among(names: Iterable[str]) -> set[str]:
    """Which of these names a row holds: one query per column for the whole batch."""
    names = list(names)
    found: set[str] = set()
    for column in REFERENCE_COLUMNS:
        found.update(db.session.scalars(db.select(column).where(column.in_(names))))
    return found


def sweep_files(*, grace_hours: float, dry_run: bool = False, now: datetime | None = None) -> SweepReport:
    """Compare the stored names with the rows batch by batch; delete (unless a dry run) the old unreferenced ones."""
    storage = current_storage()
    cutoff = (now or datetime.now(UTC)) - timedelta(hours=grace_hours)
    report, batch = SweepReport(), []
    for name, modified in storage.names():
        report.stored += 1
        if modified >= cutoff:
            report.recent += 1
            continue
        batch.append(name)
        if len(batch) >= BATCH:
            _sweep_batch(batch, report, dry_run)
            batch = []
    if batch:
        _sweep_batch(batch, report, dry_run)
    db.session.rollback()  # only read: end the transaction rather than hold it
    return report


def _sweep_batch(batch: list[str], report: SweepReport, dry_run: bool) -> None:
    referenced = referenced_among(batch)
    report.referenced += len(referenced)
    for name in batch:
        if name in referenced:
            continue
        if not dry_run:
            current_storage().delete(name)
        report.orphans.append(name)
