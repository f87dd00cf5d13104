"""How the list page's counts can use an index. PostgreSQL: an officer's list counts the dossiers of the units
under theirs off one index, a range per unit (issue 13: at 100,000 dossiers the provincial officer's count read the
whole state index, 84,000 entries, and kept those of a hash of the province's units: 899 pages, 15 ms; with
(review_unit_id, state) 415 pages, 2 ms). Every column of dossiers the count reads is in one index whose first key
is review_unit_id; bench/plans.py shows the plan on the 100,000-dossier database (a dozen test rows are read
whichever way is cheapest)."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import text
from sqlalchemy.sql import operators

from ocop_tracker.dossiers.awaiting import awaiting_condition
from ocop_tracker.extensions import db

from ..factories import DAY0, new_dossier
from ..statements import statements_run


def _indexes_led_by(table: str, column: str) -> list[set[str]]:
    """The indexes of the table whose first key is the column, each as the set of columns it holds."""
    return [set(columns) for columns in db.session.scalars(text(
        "SELECT array_agg(a.attname::text) FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
        "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = CAST(:table AS regclass) "
        "AND i.indkey[0] = (SELECT attnum FROM pg_attribute WHERE attrelid = i.indrelid AND attname = :column) "
        "GROUP BY i.indexrelid"), {"table": table, "column": column})]


@pytest.mark.parametrize("officer", ["officer", "province_officer"])
def test_the_officers_list_count_reads_one_index_by_review_unit(backend, world, login_as, officer):
    if backend != "postgresql":
        pytest.skip("reads PostgreSQL's catalogue")
    new_dossier(world, documents=False)
    db.session.commit()
    client = login_as(officer)
    with statements_run() as seen:
        assert client.get("/?page=1").status_code == 200
    count = next(statement for statement in seen if statement.startswith("SELECT count("))
    # The columns the count's filter reads (its subquery names every column of the row, which no one reads).
    where = count.split("WHERE", 1)[1]
    columns = set(re.findall(r"\bdossiers\.(\w+)", where)) | {"review_unit_id"}
    assert columns == {"review_unit_id", "state"}
    assert any(columns <= index for index in _indexes_led_by("dossiers", "review_unit_id"))


OFFICER_STATES = {"vietgap", "district_review", "provincial_review", "awaiting_decision", "central_review"}


@pytest.mark.parametrize(("username", "states"), [
    ("admin", OFFICER_STATES), ("province_officer", OFFICER_STATES), ("officer", OFFICER_STATES),
    ("producer", {"draft", "returned", "upgrade", "re_rating"}), ("chair", {"star_rating"})])
def test_awaiting_names_its_states_outside_its_or(world, username, states):
    """"Awaiting me" says the states the user may act in once more as a plain conjunct before its OR, so PostgreSQL
    reads only those ranges of an index on state (issue 13: at 100,000 dossiers the admin's tab counts read all
    100,000 entries of the state index and filtered each against the OR: 38,952 pages, now 15,256). A dozen test
    rows are planned whichever way is cheapest, so the condition's shape is what is checked here."""
    condition = awaiting_condition(world.users[username], DAY0)
    assert condition.operator is operators.and_
    first = condition.clauses[0]
    assert first.left.key == "state" and first.operator is operators.in_op
    assert set(first.right.value) == states


@pytest.mark.parametrize(("table", "column"), [("organisations", "unit_id"), ("products", "organisation_id")])
def test_the_province_s_products_are_read_off_indexes_alone(backend, app, table, column):
    """"In the user's province" joins the province's units to their organisations and those to their products: each
    hop reads one index, keyed by the foreign key and carrying the id (issue 13: at 100,000 dossiers the admin's tab
    counts read the 40,000 organisations whole for it; 15,256 → 11,245 pages)."""
    if backend != "postgresql":
        pytest.skip("reads PostgreSQL's catalogue")
    assert any({column, "id"} <= index for index in _indexes_led_by(table, column))


# What "awaiting me" and the list's order read of a dossier (the tabs add the deadlines, by dossier id).
AWAITING_COLUMNS = {"id", "state", "review_unit_id", "level", "assignee_id", "updated_at"}


@pytest.mark.parametrize(("column", "order"), [("producer_province_id", ["producer_province_id", "state"]),
                                               ("review_unit_id", ["review_unit_id", "updated_at", "id"])])
def test_what_waits_for_a_province_or_a_commune_is_one_range_of_one_index(backend, app, column, order):
    """A province's waiting files (by the producer's province stored on the dossier) and a commune's dossiers newest
    first are each one range of an index holding every column the tabs and the page's ids read, so PostgreSQL reads
    them off the index alone (issue 13 at 100,000: the province's tab counts 9,296 → 3,682 pages, its "awaiting me"
    page 35,547 → 651, the busy commune's list 19,232 → 482)."""
    if backend != "postgresql":
        pytest.skip("reads PostgreSQL's catalogue")
    keys = db.session.scalars(text(
        "SELECT array_to_string(array_agg(a.attname::text ORDER BY k.n), ',') FROM pg_index i "
        "CROSS JOIN LATERAL unnest(i.indkey[0:i.indnkeyatts - 1]) WITH ORDINALITY AS k(attnum, n) "
        "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
        "WHERE i.indrelid = 'dossiers'::regclass GROUP BY i.indexrelid")).all()
    assert ",".join(order) in keys
    assert any(AWAITING_COLUMNS | {column} <= index for index in _indexes_led_by("dossiers", column))
