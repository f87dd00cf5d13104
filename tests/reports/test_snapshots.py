"""The dashboard's figures are a snapshot kept per scope: reused within its age, recomputed after it or on the
refresh button, never another scope's; the downloads stay live (issue 13)."""
from __future__ import annotations

import sqlite3
import threading
from datetime import timedelta

import pytest
from sqlalchemy import event, make_url, text

from ocop_tracker.accounts.models import AdministrativeUnit, User
from ocop_tracker.accounts.services import create_user
from ocop_tracker.extensions import db
from ocop_tracker.reports.models import DashboardSnapshot
from ocop_tracker.reports.queries import ReportFilters
from ocop_tracker.reports.snapshots import dashboard_snapshot, keep_taken_snapshots, scope_key

from ..factories import PASSWORD, fire
from ..statements import statements_run
from .conftest import TODAY
from .helpers import csv_rows, figure_tables, ints, scope_sql
from .test_dashboard import _states

VIEWERS = ("officer", "province_officer", "admin", "district_officer")  # a commune, the province, all, abolished
TIMEOUT = 30


def _older(seconds: int) -> None:
    """Every kept snapshot taken `seconds` earlier: the app's age check reads the row's time."""
    for snapshot in db.session.scalars(db.select(DashboardSnapshot)):
        snapshot.taken_at -= timedelta(seconds=seconds)
    db.session.commit()


def _forward_the_open_check(scene) -> None:
    """The commune forwards the dossier it is checking: district_review -1, provincial_review +1."""
    fire(scene.world, scene.dossiers["review_open"], "forward", "officer", TODAY)
    db.session.commit()


def test_snapshot_is_reused_within_its_age_and_recomputed_after_it(app, scene, browser):
    client = browser("province_officer")
    before = ints(figure_tables(client)["states"])
    _forward_the_open_check(scene)
    assert ints(figure_tables(client)["states"]) == before  # kept: younger than DASHBOARD_MAX_AGE
    _older(app.config["DASHBOARD_MAX_AGE"] - 5)
    assert ints(figure_tables(client)["states"]) == before
    _older(10)
    after = ints(figure_tables(client)["states"])
    assert after == _states(scope_sql("province_officer")) != before
    assert after["provincial_review"][0] == before["provincial_review"][0] + 1


def test_kept_page_counts_nothing(scene, browser):
    """Within its age the page reads its snapshot's one row: no statement touches the dossiers or their history."""
    client = browser("admin")
    client.get("/reports")
    with statements_run(fresh=True) as seen:
        assert client.get("/reports").status_code == 200
    read = " ".join(seen).lower()
    assert "dashboard_snapshots" in read
    assert not [table for table in ("dossiers", "transition_history", "certificates", "deadlines")
                if f"from {table}" in read or f"join {table}" in read]


def test_no_max_age_computes_on_every_visit(app, scene, browser):
    app.config["DASHBOARD_MAX_AGE"] = 0
    client = browser("officer")
    before = ints(figure_tables(client)["states"])
    _forward_the_open_check(scene)
    assert ints(figure_tables(client)["states"]) == _states(scope_sql("officer")) != before


def test_page_says_when_its_figures_were_taken(app, scene, browser):
    client = browser("admin")
    page = client.get("/reports").get_data(as_text=True)
    taken_at = db.session.scalar(db.select(DashboardSnapshot.taken_at))
    with app.test_request_context():
        from ocop_tracker.i18n import moment
        shown = moment(taken_at)
    assert f"Số liệu lúc {shown}." in page and 'action="/reports/refresh"' in page
    db.session.execute(text("UPDATE users SET locale = 'en' WHERE username = 'admin'"))
    db.session.commit()
    assert "Figures as of " in client.get("/reports").get_data(as_text=True)


@pytest.mark.parametrize("who", VIEWERS)
def test_refresh_shows_a_moved_dossier_at_once(app, scene, browser, who):
    client = browser(who)
    before = ints(figure_tables(client)["states"])
    _forward_the_open_check(scene)
    # Just taken: a click storm costs no recompute, and the page says so.
    response = client.post("/reports/refresh", follow_redirects=True)
    assert "Số liệu vừa được lấy lúc" in response.get_data(as_text=True)
    assert ints(figure_tables(client)["states"]) == before
    _older(app.config["DASHBOARD_MIN_REFRESH"])
    response = client.post("/reports/refresh")
    assert response.status_code == 302 and response.headers["Location"] == "/reports"
    assert ints(figure_tables(client)["states"]) == _states(scope_sql(who))
    if who != "district_officer":  # an abolished district does not see today's commune checks
        assert ints(figure_tables(client)["states"]) != before


def test_refresh_keeps_the_filters(app, scene, browser):
    unit = scene.world.other_district.id
    client = browser("admin")
    filtered = figure_tables(client, f"?unit={unit}")["states"]
    _older(app.config["DASHBOARD_MIN_REFRESH"])
    response = client.post(f"/reports/refresh?unit={unit}")
    assert response.headers["Location"] == f"/reports?unit={unit}"
    assert figure_tables(client, f"?unit={unit}")["states"] == filtered != figure_tables(client)["states"]


@pytest.mark.parametrize("who", ["producer", "chair"])
def test_refresh_is_refused_for_producers_and_council_members(scene, browser, who):
    response = browser(who).post("/reports/refresh")
    assert response.status_code == 403
    assert "chỉ họ lấy lại được số liệu" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(DashboardSnapshot)) == 0


def test_refresh_needs_the_csrf_token(app, scene, browser):
    client = browser("officer")
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/reports/refresh").status_code == 400


def _other_province_officer() -> User:
    province = AdministrativeUnit(code="Q", name="Tuyên Quang", level="province")
    db.session.add(province)
    db.session.flush()
    province.path = f"/{province.id}/"
    officer = create_user(username="other_province_officer", password=PASSWORD, role="officer", unit=province,
                          email="other_province_officer@test.local")
    db.session.commit()
    return officer


def test_scopes_do_not_leak(scene, browser):
    """Every viewer, one after the other with their snapshots kept, reads only their own scope's figures."""
    _other_province_officer()
    for who in (*VIEWERS, "other_officer", "other_province_officer", "province_officer"):
        assert ints(figure_tables(browser(who))["states"]) == _states(scope_sql(who)), who
    assert figure_tables(browser("other_province_officer"))["states"] == {}
    # An administrator filtering on a commune and that commune's officer see different dossiers: two snapshots.
    commune = scene.world.commune.id
    assert ints(figure_tables(browser("admin"), f"?unit={commune}")["states"]) == _states(
        scope_sql("admin", commune))
    assert db.session.scalar(db.select(db.func.count()).select_from(DashboardSnapshot)) == 7


def test_downloads_stay_live(scene, browser):
    client = browser("officer")
    before = ints(figure_tables(client)["states"])
    _forward_the_open_check(scene)
    live = _states(scope_sql("officer"))
    assert live != before
    assert ints(figure_tables(client)["states"]) == before  # the page: its snapshot
    download = csv_rows(client.get("/reports/tables/states.csv"))[1:]  # (state label, count)
    assert sorted(int(count) for _label, count in download) == sorted(count for [count] in live.values())


def _recompute(app, user_id: int, taken: list, together: threading.Barrier) -> None:
    """An app server's page of its own (a session in a thread): computes the scope, then keeps it at the same moment
    as the other, so both write the same new row at once."""
    with app.test_request_context("/reports"):
        try:
            snapshot = dashboard_snapshot(db.session.get(User, user_id), ReportFilters(), TODAY)
            together.wait(TIMEOUT)
            keep_taken_snapshots()
            taken.append(snapshot.taken_at)
        finally:
            db.session.remove()


@pytest.mark.committing
def test_two_servers_recomputing_one_scope_at_once_do_not_fail(app, scene):
    user_id = scene.world["province_officer"].id
    db.session.commit()  # end the test's own transaction: on SQLite it holds the write lock
    taken: list = []
    together = threading.Barrier(2)
    threads = [threading.Thread(target=_recompute, args=(app, user_id, taken, together)) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert len(taken) == 2  # both kept: none failed on the other's new row
    key = scope_key(scene.world["province_officer"], ReportFilters(), TODAY)
    kept = db.session.scalars(db.select(DashboardSnapshot)).all()
    assert [snapshot.scope for snapshot in kept] == [key]


def test_page_shows_its_figures_when_another_write_came_first(scene, browser, backend, database_url):
    """SQLite: a page's read cannot become a write once another connection has committed (SQLITE_BUSY at once,
    the busy timeout cannot help). The figures are kept in a transaction of their own after the read, and only
    best-effort: the page never fails for it."""
    if backend != "sqlite":
        pytest.skip("PostgreSQL's reads never stand in a write's way")
    client = browser("province_officer")
    db.session.commit()
    other = sqlite3.connect(make_url(database_url).database, isolation_level=None, timeout=30)
    written: list[str] = []

    def another_write_first(_conn, _cursor, statement, *_args) -> None:
        if not written and statement.lstrip().upper().startswith("INSERT INTO DASHBOARD_SNAPSHOTS"):
            other.execute("UPDATE users SET username = username")  # commits: the page's read is now stale
            written.append(statement)

    event.listen(db.engine, "before_cursor_execute", another_write_first)
    try:
        response = client.get("/reports")
    finally:
        event.remove(db.engine, "before_cursor_execute", another_write_first)
        other.close()
    assert written and response.status_code == 200
    assert ints(figure_tables(client)["states"]) == _states(scope_sql("province_officer"))
    assert db.session.scalar(db.select(db.func.count()).select_from(DashboardSnapshot)) == 1
