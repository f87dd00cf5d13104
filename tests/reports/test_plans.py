"""PostgreSQL: the counts over every dossier and certificate (the dashboard's, the expiring list's, the registry's)
can be read off one index alone, an index-only scan, never the table (issue 13: at 100,000 dossiers each count
read the 61 MB dossiers table whole). Every column of dossiers or certificates that such a count reads is in one
index of that table, keys or INCLUDE; bench/plans.py shows the index-only plans on the 100,000-dossier database
(a dozen test rows are read whichever way is cheapest, so the plans themselves say nothing here)."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import event, text

from ocop_tracker.extensions import db
from ocop_tracker.registry.queries import RegistryFilters, search_registry
from ocop_tracker.reports import queries
from ocop_tracker.reports.queries import ReportFilters

from .conftest import TODAY

TABLES = ("dossiers", "certificates")
COUNTS = {
    "by state": lambda user: queries.dossiers_by_state(user, ReportFilters()),
    "by product set": lambda user: queries.dossiers_by_product_set(user, ReportFilters()),
    "first-level checks": lambda user: queries.first_level_checks(user, ReportFilters(), TODAY),
    "rounds": lambda user: queries.pipeline(user, ReportFilters()),
    "by star": lambda user: queries.certificates_by_star(user, ReportFilters()),
    "expiring": lambda user: queries.expiring_count(user, ReportFilters(), TODAY),
    # Its count only: then a page of 20 by name, and those 20 loaded.
    "registry": lambda _user: search_registry(RegistryFilters(), today=TODAY),
}


def _count_statement(run) -> str:
    """The statement that counts (the user's own row may be refreshed first; the registry reads a page after)."""
    seen: list[str] = []

    def collect(_connection, _cursor, statement, *_args) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", collect)
    try:
        run()
    finally:
        event.remove(db.engine, "before_cursor_execute", collect)
    return next(statement for statement in seen if re.search(r"\b(count|sum)\(", statement))


def _index_columns(table: str) -> list[set[str]]:
    """Each index of the table as the set of columns it holds (keys and INCLUDE)."""
    return [set(columns) for columns in db.session.scalars(text(
        "SELECT array_agg(a.attname::text) FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
        "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = CAST(:table AS regclass) GROUP BY i.indexrelid"),
        {"table": table})]


def test_the_counts_over_every_dossier_read_one_index(app, backend, scene):
    if backend != "postgresql":
        pytest.skip("SQLite has no INCLUDE: its indexes cover the filters, not the counts")
    admin = scene.world.users["admin"]
    indexes = {table: _index_columns(table) for table in TABLES}
    uncovered, read = {}, {}
    for name, count in COUNTS.items():
        statement = _count_statement(lambda: count(admin))  # noqa: B023  run at once
        for table in TABLES:
            columns = set(re.findall(rf"\b{table}\.(\w+)", statement))
            if columns:
                read[name, table] = columns
            if columns and not any(columns <= index for index in indexes[table]):
                uncovered[name, table] = columns
    assert uncovered == {}
    assert {name for name, _table in read} == set(COUNTS)
