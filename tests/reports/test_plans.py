"""PostgreSQL: the counts over every dossier and certificate (the dashboard's, the expiring list's, the registry's)
read their indexes alone — index-only scans, never the tables (issue 13: at 100,000 dossiers each count read the
61 MB dossiers table whole). The plans are asked with sequential scans priced out, as on a large table: a count
whose columns an index does not cover shows a heap-reading scan of the table."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import event, text

from ocop_tracker.extensions import db
from ocop_tracker.registry.queries import RegistryFilters, search_registry
from ocop_tracker.reports import queries
from ocop_tracker.reports.queries import ReportFilters

from .conftest import TODAY

pytestmark = pytest.mark.postgres_only  # VACUUM (the visibility map) needs a connection outside the test's
SCAN = re.compile(r"((?:Parallel )?(?:Index Only Scan|Index Scan|Bitmap Heap Scan|Seq Scan))(?: using \w+)? on "
                  r"(dossiers|certificates)\b")


def _statements(run) -> list[tuple[str, object]]:
    seen: list[tuple[str, object]] = []

    def collect(_connection, _cursor, statement, parameters, *_args) -> None:
        seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", collect)
    try:
        run()
    finally:
        event.remove(db.engine, "before_cursor_execute", collect)
    return seen


def _table_scans(statement: str, parameters) -> set[str]:
    """How the plan reads dossiers and certificates, e.g. {"Index Only Scan on dossiers"}."""
    cursor = db.session.connection().connection.cursor()
    cursor.execute("SET LOCAL enable_seqscan = off")
    cursor.execute(f"EXPLAIN {statement}", parameters)
    plan = "\n".join(row[0] for row in cursor.fetchall())
    cursor.execute("RESET enable_seqscan")
    return {f"{kind.removeprefix('Parallel ')} on {table}" for kind, table in SCAN.findall(plan)}


COUNTS = {
    "by state": lambda user: queries.dossiers_by_state(user, ReportFilters()),
    "by product set": lambda user: queries.dossiers_by_product_set(user, ReportFilters()),
    "first-level checks": lambda user: queries.first_level_checks(user, ReportFilters(), TODAY),
    "rounds": lambda user: queries.pipeline(user, ReportFilters()),
    "by star": lambda user: queries.certificates_by_star(user, ReportFilters()),
    "expiring": lambda user: queries.expiring_count(user, ReportFilters(), TODAY),
}


def test_the_counts_over_every_dossier_read_only_indexes(app, backend, scene):
    if backend != "postgresql":
        pytest.skip("index-only scans are PostgreSQL's")
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE dossiers, certificates"))  # all visible: index-only scans pay off
    admin = scene.world.users["admin"]
    read = {}
    for name, count in COUNTS.items():
        read[name] = set().union(*(_table_scans(*run) for run in _statements(lambda: count(admin))))  # noqa: B023
    registry = _statements(lambda: search_registry(RegistryFilters(), today=TODAY))
    read["registry"] = _table_scans(*registry[0])  # its count; then a page of 20 by name, and those 20 loaded
    heap = {name: scans for name, scans in read.items() if any(not scan.startswith("Index Only") for scan in scans)}
    assert heap == {}, read
    assert all(read.values()), read  # each reads an index of one of the two tables at least
