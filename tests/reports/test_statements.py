"""The dashboard, its "see all" list and every download cost the same number of statements whatever the number of
dossiers behind them (issue 13); the page shows the first rows of its lists and says how many there are."""
from __future__ import annotations

import pytest
from sqlalchemy import text

from ocop_tracker.deadlines.queries import next_deadlines
from ocop_tracker.dossiers.models import Dossier
from ocop_tracker.extensions import db
from ocop_tracker.reports import dashboard
from ocop_tracker.summaries.lines import DEADLINE_LABELS, DEADLINE_STATUS_LABELS

from ..factories import dossier_in_state
from ..statements import statements_run
from .conftest import TODAY
from .helpers import csv_rows, figure_tables, scope_sql

WHO = ("admin", "officer", "district_officer")  # every dossier; a unit and below; an abolished unit's own
KEYS = ("states", "stars", "product_sets", "funnel", "first_level_checks", "pipeline", "expiring")
URLS = ("/reports", "/reports/expiring", "/reports/expiring?page=2", "/reports/dossiers.csv", "/reports/dossiers.xlsx",
        "/reports/dossiers.csv?due=overdue&sort=due", "/reports/certificates.csv", "/reports/certificates.xlsx",
        *(f"/reports/tables/{key}.{fmt}" for key in KEYS for fmt in ("csv", "xlsx")))
MORE = ("district_review", "returned", "provincial_review", "star_rating", "awaiting_decision", "certified",
        "not_recognised")
HARNESS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")
ID, DEADLINE, DUE, DEADLINE_STATUS = 0, 9, 10, 11  # columns of the dossier download


def _statements(client, url: str) -> int:
    with statements_run(fresh=True) as seen:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        response.get_data()  # a download is read to its end: its rows are read while it is sent
    # The test's own transaction (savepoints around each request, see tests/conftest.py) is not the page's.
    return sum(not statement.startswith(HARNESS) for statement in seen)


def _counts(clients) -> dict[tuple[str, str], int]:
    return {(who, url): _statements(client, url) for who, client in clients.items() for url in URLS}


def _grow(world, times: int) -> None:
    for _ in range(times):
        for state in MORE:
            dossier_in_state(world, state)


@pytest.mark.parametrize("max_age", [0, 300])  # the dashboard computed on every visit, or read from its snapshot
def test_report_statements_do_not_grow_with_dossiers(app, scene, browser, max_age):
    app.config["DOSSIERS_PER_PAGE"] = 1  # the "see all" list has a second page at both sizes
    app.config["DASHBOARD_MAX_AGE"] = max_age
    clients = {who: browser(who) for who in WHO}
    for client in clients.values():
        client.get("/reports")  # the calendar and rule sets, cached after a first request, are not counted
    small = _counts(clients)
    _grow(scene.world, 3)
    dossiers = db.session.scalar(db.select(db.func.count(Dossier.id)))
    large = _counts(clients)
    assert dossiers >= 14 + 3 * len(MORE)
    assert large == small
    assert max(small.values()) <= 20, small


def test_dossier_download_shows_each_dossiers_next_deadline(app, scene, browser):
    """The next deadline read in the download's one statement is the one the list page shows."""
    _grow(scene.world, 1)
    rows = csv_rows(browser("admin").get("/reports/dossiers.csv"))[1:]
    dossiers = db.session.scalars(db.select(Dossier).where(Dossier.id.in_([int(row[ID]) for row in rows]))).all()
    expected = next_deadlines(dossiers, TODAY)
    assert any(expected.values())
    with app.test_request_context():  # the labels in the page's language
        labels = {row[ID]: _labels(expected[int(row[ID])]) for row in rows}
    for row in rows:
        assert (row[DEADLINE], row[DUE], row[DEADLINE_STATUS]) == labels[row[ID]], row


def _labels(view) -> tuple[str, str, str]:
    if view is None:
        return "", "", ""
    return (str(DEADLINE_LABELS[view.kind]), view.due_on.isoformat() if view.due_on else "",
            str(DEADLINE_STATUS_LABELS[view.status]))


def test_dashboard_shows_the_first_rows_and_the_count(scene, browser, monkeypatch):
    monkeypatch.setattr(dashboard, "FIRST_ROWS", 1)
    client = browser("admin")
    tables = figure_tables(client)
    page = client.get("/reports").get_data(as_text=True)
    expiring = list(db.session.scalars(text(
        f"SELECT code FROM certificates WHERE status = 'valid' AND expires_on BETWEEN '2026-06-01' AND '2026-12-01' "
        f"AND dossier_id IN ({scope_sql('admin')}) ORDER BY expires_on, id")))
    assert len(expiring) == 2 and list(tables["expiring"]) == expiring[:1]  # the soonest, and a count of all
    assert 'id="expiring-total"' in page and "Hiện 1 trong tổng số 2 dòng" in page
    assert 'href="/reports/expiring"' in page
    # Checks: the unit with the most checks due on the page, every unit in the download.
    units = csv_rows(client.get("/reports/tables/first_level_checks.csv"))[1:]
    assert len(units) == 2 and len(tables["first_level_checks"]) == 1
    busiest = max(units, key=lambda row: sum(int(value) for value in row[1:]))
    assert [int(value) for value in busiest[1:]] == [int(v) for v in next(iter(tables["first_level_checks"].values()))]
    expiring_download = csv_rows(client.get("/reports/tables/expiring.csv"))[1:]
    assert [row[0] for row in expiring_download] == expiring


def test_expiring_list_is_paginated(app, scene, browser):
    app.config["DOSSIERS_PER_PAGE"] = 1
    client = browser("admin")
    pages = [client.get(f"/reports/expiring?page={n}").get_data(as_text=True) for n in (1, 2, 3)]
    codes = list(db.session.scalars(text(
        "SELECT code FROM certificates WHERE status = 'valid' AND expires_on BETWEEN '2026-06-01' AND '2026-12-01' "
        "ORDER BY expires_on, id")))
    assert len(codes) == 2
    assert f'data-key="{codes[0]}"' in pages[0] and f'data-key="{codes[1]}"' not in pages[0]
    assert f'data-key="{codes[1]}"' in pages[1] and "2 / 2" in pages[1]
    assert "Không có số liệu." in pages[2]  # a page past the last is empty
    assert 'href="/reports/expiring?page=2"' in pages[0]
    unit = scene.world.other_district.id  # the other former district's certificate only, and its filter kept
    in_unit = client.get(f"/reports/expiring?unit={unit}").get_data(as_text=True)
    assert f'data-key="{codes[1]}"' in in_unit and f'data-key="{codes[0]}"' not in in_unit
    assert "1 / 2" not in in_unit and f"tables/expiring.csv?unit={unit}" in in_unit
    assert f'href="/reports/expiring?unit={unit}"' in client.get(f"/reports?unit={unit}").get_data(as_text=True)
    officer = browser("officer").get("/reports/expiring").get_data(as_text=True)
    assert not [code for code in codes if f'data-key="{code}"' in officer]  # recognised by the districts


@pytest.mark.parametrize("who", ["producer", "chair"])
def test_expiring_list_is_not_there_for_producers_and_council_members(scene, browser, who):
    assert browser(who).get("/reports/expiring").status_code == 404
