"""Each dashboard figure equals a count made here with SQL of our own, for an officer and for an administrator."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import column, distinct, func, select, text

from ocop_tracker.clock import VIETNAM
from ocop_tracker.extensions import db

from .conftest import TODAY
from .helpers import counted, figure_tables, ints, scope_sql

SUBMITTED = "('vietgap', 'district_review')"
PIPELINE_COLUMNS = ["preparing", "in_review", "certified", "not_recognised", "cancelled", "closed"]


def _states(scope: str, period: str = "") -> dict:
    return counted(f"SELECT state, count(*) FROM dossiers WHERE id IN ({scope}){period} GROUP BY state")


def _stars(scope: str, period: str = "") -> dict:
    found = counted(f"SELECT star, count(*) FROM certificates WHERE status = 'valid' AND dossier_id IN ({scope})"
                    f"{period} GROUP BY star")
    return {"3": [0], "4": [0], "5": [0], **found}


def _product_sets(scope: str, period: str = "") -> dict:
    return counted(f"SELECT s.number, count(*) FROM dossiers d JOIN products p ON p.id = d.product_id "
                   f"JOIN product_sets s ON s.id = p.product_set_id WHERE d.id IN ({scope}){period} GROUP BY s.number")


def _funnel(scope: str) -> dict:
    def reached(states: str) -> str:
        return (f"SELECT count(DISTINCT dossier_id) FROM transition_history WHERE to_state IN {states} "
                f"AND dossier_id IN ({scope})")
    rating, certified = reached("('star_rating')"), reached("('certified')")
    return counted(f"SELECT 'draft', count(*) FROM dossiers WHERE id IN ({scope}) "
                   f"UNION ALL SELECT 'submitted', ({reached(SUBMITTED)}) "
                   f"UNION ALL SELECT 'star_rating', ({rating}) UNION ALL SELECT 'certified', ({certified})")


def _checks(scope: str, period: str = "") -> dict:
    return counted(
        "SELECT d.review_unit_id,"
        " sum(CASE WHEN l.met_on IS NOT NULL AND l.met_on <= l.due_on THEN 1 ELSE 0 END),"
        " sum(CASE WHEN l.met_on IS NOT NULL AND l.met_on > l.due_on THEN 1 ELSE 0 END),"
        " sum(CASE WHEN l.met_on IS NULL AND l.due_on >= :today THEN 1 ELSE 0 END),"
        " sum(CASE WHEN l.met_on IS NULL AND l.due_on < :today THEN 1 ELSE 0 END)"
        " FROM deadlines l JOIN dossiers d ON d.id = l.dossier_id"
        f" WHERE l.kind = 'first_level_check' AND l.due_on IS NOT NULL AND d.id IN ({scope}){period}"
        " GROUP BY d.review_unit_id", today=TODAY)


def _expiring(scope: str) -> list[str]:
    return list(db.session.scalars(text(
        f"SELECT code FROM certificates WHERE status = 'valid' AND expires_on >= :today AND expires_on <= :until "
        f"AND dossier_id IN ({scope}) ORDER BY expires_on, id"), {"today": TODAY, "until": date(2026, 12, 1)}))


def _pipeline(scope: str) -> dict:
    found = counted(
        "SELECT r.kind || ':' || CASE"
        " WHEN r.decision IN ('certified', 'not_recognised', 'cancelled') THEN r.decision"
        " WHEN d.round_number = r.number AND d.state = r.kind THEN 'preparing'"
        " WHEN d.round_number = r.number AND d.state IN"
        "  ('vietgap', 'district_review', 'returned', 'provincial_review', 'star_rating', 'awaiting_decision',"
        "   'central_review') THEN 'in_review'"
        " ELSE 'closed' END AS stage, count(*)"
        " FROM evaluation_rounds r JOIN dossiers d ON d.id = r.dossier_id"
        f" WHERE r.kind IN ('upgrade', 're_rating') AND d.id IN ({scope}) GROUP BY stage")
    return {kind: [found.get(f"{kind}:{stage}", [0])[0] for stage in PIPELINE_COLUMNS]
            for kind in ("upgrade", "re_rating")}


@pytest.mark.parametrize("who", ["officer", "other_officer", "district_officer", "province_officer", "admin"])
def test_dashboard_figures_match_sql(scene, browser, who):
    tables = figure_tables(browser(who))
    scope = scope_sql(who)
    assert ints(tables["states"]) == _states(scope)
    assert ints(tables["stars"]) == _stars(scope)
    assert ints(tables["product_sets"]) == _product_sets(scope)
    assert ints(tables["funnel"]) == _funnel(scope)
    assert ints(tables["first_level_checks"]) == _checks(scope)
    assert list(tables["expiring"]) == _expiring(scope)
    assert ints(tables["pipeline"]) == _pipeline(scope)


def test_commune_officer_counts_only_the_own_commune(scene, browser):
    world = scene.world
    tables = figure_tables(browser("officer"))
    assert "draft" not in tables["states"]  # officers never see drafts
    # The other commune's files and the former district's own district-era files are not the commune's.
    assert sum(v for [v] in ints(tables["states"]).values()) == 9
    assert ints(tables["states"])["provincial_review"] == [1] and ints(tables["states"])["awaiting_decision"] == [1]
    assert "re_rating" not in tables["states"]
    # On time: forwarded or returned the day they came; late: forwarded in May; open: filed 25 May; overdue.
    assert ints(tables["first_level_checks"]) == {str(world.commune.id): [5, 1, 1, 1]}
    assert list(tables["expiring"]) == []  # the certificates ending this year were recognised by districts
    assert ints(tables["pipeline"]) == {"upgrade": [1, 0, 0, 0, 1, 0], "re_rating": [0, 0, 0, 0, 0, 0]}
    assert ints(tables["stars"]) == {"3": [3], "4": [0], "5": [0]}


def test_former_district_officer_counts_only_its_district_era_files(scene, browser):
    """An abolished district's officer keeps reading what the district checked, not its communes' new files."""
    d = scene.dossiers
    tables = figure_tables(browser("district_officer"))
    assert ints(tables["states"]) == {"re_rating": [1]}  # its own old file, now being re-rated
    # The 2023 check has no due day (the calendar starts in 2025), so no check is counted.
    assert ints(tables["first_level_checks"]) == {}
    expiring_code = db.session.scalar(text("SELECT code FROM certificates WHERE dossier_id = :id"),
                                      {"id": d["old"].id})
    assert list(tables["expiring"]) == [expiring_code]
    assert ints(tables["pipeline"]) == {"upgrade": [0, 0, 0, 0, 0, 0], "re_rating": [1, 0, 0, 0, 0, 0]}
    assert ints(tables["stars"]) == {"3": [1], "4": [0], "5": [0]}


def test_admin_sees_both_former_districts(scene, browser):
    world = scene.world
    tables = figure_tables(browser("admin"))
    checks = ints(tables["first_level_checks"])
    assert checks[str(world.other_commune.id)] == [2, 0, 0, 1]  # the upgrade's check met too; one overdue
    assert len(tables["expiring"]) == 2 and ints(tables["stars"])["4"] == [1]
    # The other producer's upgrade waits at the provincial office: still in review.
    assert ints(tables["pipeline"])["upgrade"] == [1, 1, 0, 0, 1, 0]
    assert sum(v for [v] in ints(tables["states"]).values()) == 14


def test_period_and_unit_filter_the_figures(scene, browser):
    unit = scene.world.district.id
    query = f"?date_from=2026-03-01&date_to=2026-03-31&unit={unit}"
    tables = figure_tables(browser("admin"), query)
    scope, march = scope_sql("admin", unit), " BETWEEN '2026-03-01' AND '2026-03-31'"
    assert ints(tables["states"]) == _states(scope, f" AND received_on{march}")
    assert ints(tables["stars"]) == _stars(scope, f" AND issued_on{march}")
    assert ints(tables["product_sets"]) == _product_sets(scope, f" AND d.received_on{march}")
    assert ints(tables["first_level_checks"]) == _checks(scope, f" AND l.due_on{march}")
    assert str(scene.world.other_commune.id) not in tables["first_level_checks"]
    # Received in March, in the first former district: not the file of 25 May, nor the one received in 2023.
    assert ints(tables["states"])["district_review"] == [1] and "re_rating" not in tables["states"]
    assert sum(v for [v] in ints(tables["states"]).values()) == 8


def test_funnel_counts_the_day_each_stage_was_reached(scene, browser):
    tables = figure_tables(browser("admin"), "?date_from=2026-03-01&date_to=2026-03-31")
    history = db.metadata.tables["transition_history"]
    start, end = (datetime(2026, month, 1, tzinfo=VIETNAM) for month in (3, 4))
    ids = text(scope_sql("admin")).columns(column("id"))

    def reached(*states: str) -> int:
        return db.session.scalar(select(func.count(distinct(history.c.dossier_id))).where(
            history.c.to_state.in_(states), history.c.at >= start, history.c.at < end,
            history.c.dossier_id.in_(ids)))
    funnel = ints(tables["funnel"])
    assert funnel["submitted"] == [reached("vietgap", "district_review")]
    assert funnel["star_rating"] == [reached("star_rating")] and funnel["certified"] == [reached("certified")]
    # Decided on DAY0: upgrade, cancelled, other_certified; late in May and the district-era ones in 2023: no;
    # awaiting waits for its decision.
    assert funnel["certified"] == [3]
    assert 0 < funnel["submitted"][0] < ints(figure_tables(browser("admin"))["funnel"])["submitted"][0]


@pytest.mark.parametrize("unit", ["other_commune", "other_district", "district", "province"])
def test_officer_cannot_choose_another_unit(scene, browser, unit):
    client = browser("officer")
    unit_id = getattr(scene.world, unit).id
    page = client.get(f"/reports?unit={unit_id}").get_data(as_text=True)
    assert 'role="alert">Đơn vị:' in page  # refused, and said so; no figure of another unit shows
    assert figure_tables(client, f"?unit={unit_id}") == figure_tables(client)


def test_reversed_period_is_refused(scene, browser):
    page = browser("admin").get("/reports?date_from=2026-04-01&date_to=2026-03-01").get_data(as_text=True)
    assert "Ngày kết thúc phải sau ngày bắt đầu." in page


@pytest.mark.parametrize("who", ["producer", "other_producer", "chair", "member", "district_chair"])
def test_dashboard_is_not_there_for_producers_and_council_members(scene, browser, who):
    client = browser(who)
    assert client.get("/reports").status_code == 404
    assert client.get("/reports/tables/states.csv").status_code == 404
    assert "/reports\"" not in client.get("/").get_data(as_text=True)  # no link in the menu either


def test_charts_are_images_with_titles_and_no_style_attributes(scene, browser):
    page = browser("admin").get("/reports").get_data(as_text=True)
    assert page.count('role="img"') == 6 and page.count("<title id=\"chart-") == 6
    assert "style=" not in page and page.count("<caption") == 7 and 'scope="row"' in page
    assert "/static/reports.css" in page
