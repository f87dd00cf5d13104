"""Downloads: the same rows as the pages, Vietnamese intact, formulas neutralised, other units' rows absent."""
from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from ocop_tracker.extensions import db

from ..factories import new_dossier
from .helpers import BOM, csv_rows, figure_tables, scope_sql, xlsx_rows

INJECTIONS = ['=HYPERLINK("http://x")', "+1", "-2", "@cmd"]
ID, PRODUCT, STATE = 0, 1, 7  # columns of the dossier download


def _list_page(client, query: str) -> list[tuple[int, str]]:
    """(id, state) of every dossier on the list page, in its order."""
    page = client.get(f"/{query}").get_data(as_text=True)
    items = re.findall(r'data-dossier="(\d+)">.*?data-state="(\w+)"', page, re.DOTALL)
    return [(int(dossier_id), state) for dossier_id, state in items]


def _download(client, what: str, fmt: str, query: str = ""):
    response = client.get(f"/reports/{what}.{fmt}{query}")
    assert response.status_code == 200, response.status_code
    return response


@pytest.mark.parametrize("who, query", [
    ("officer", ""), ("officer", "?due=overdue"), ("admin", "?state=certified"),
    ("admin", "?received_from=2026-03-01&received_to=2026-03-31&product_set=0"),
    ("producer", ""), ("other_officer", "?state=district_review"), ("province_officer", "?state=provincial_review"),
    ("district_officer", ""),
])
def test_dossier_downloads_hold_the_list_rows(app, scene, browser, who, query):
    app.config["DOSSIERS_PER_PAGE"] = 1000
    client = browser(who)
    listed = _list_page(client, query)
    assert listed
    xlsx = xlsx_rows(_download(client, "dossiers", "xlsx", query))
    csv = csv_rows(_download(client, "dossiers", "csv", query))
    assert xlsx[0] == csv[0] and xlsx[0][ID] == "Mã hồ sơ"
    assert [(row[ID], row[STATE]) for row in xlsx[1:]] == listed
    assert [(int(row[ID]), row[STATE]) for row in csv[1:]] == listed


def test_officer_download_leaves_out_the_other_commune_and_the_district_era_files(scene, browser):
    client = browser("officer")
    ids = {row[ID] for row in xlsx_rows(_download(client, "dossiers", "xlsx"))[1:]}
    visible = set(db.session.scalars(text(scope_sql("officer"))))
    others = {d.id for name, d in scene.dossiers.items() if name.startswith("other")}
    assert ids == visible and not ids & others and scene.dossiers["draft"].id not in ids
    assert scene.dossiers["old"].id not in ids and scene.dossiers["awaiting"].id in ids


def test_csv_is_utf8_with_bom_and_streamed(scene, browser):
    response = _download(browser("admin"), "dossiers", "csv")
    assert response.is_streamed
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="ho-so-2026-06-01.csv"')
    assert response.get_data().startswith(BOM.encode())
    rows = {row[PRODUCT]: row for row in csv_rows(response)}
    assert rows["Sản phẩm on_time"][STATE - 1:STATE + 1] == ["Kiểm tra hồ sơ cấp tỉnh", "provincial_review"]
    assert rows["Sản phẩm awaiting"][STATE - 1:STATE + 1] == ["Chờ quyết định công nhận", "awaiting_decision"]
    assert rows["Sản phẩm overdue"][STATE - 1:STATE + 1] == ["Kiểm tra, đánh giá hồ sơ cấp xã", "district_review"]


def test_formula_like_product_names_are_neutralised(scene, browser):
    for name in INJECTIONS:
        new_dossier(scene.world, documents=False, name=name)
    client = browser("admin")
    for rows in (csv_rows(_download(client, "dossiers", "csv")), xlsx_rows(_download(client, "dossiers", "xlsx"))):
        names = {row[PRODUCT] for row in rows[1:]}
        assert {"'" + name for name in INJECTIONS} <= names
        assert not names & set(INJECTIONS)


def test_xlsx_keeps_formula_text_out_of_formulas(scene, browser):
    new_dossier(scene.world, documents=False, name=INJECTIONS[0])
    sheet = load_workbook(io.BytesIO(_download(browser("admin"), "dossiers", "xlsx").get_data())).worksheets[0]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)  # no formula anywhere


def test_certificate_register_is_the_users_certificates(scene, browser):
    for who in ("officer", "district_officer", "admin"):
        expected = set(db.session.scalars(text(
            f"SELECT code FROM certificates WHERE dossier_id IN ({scope_sql(who)})")))
        for rows in (csv_rows(_download(browser(who), "certificates", "csv")),
                     xlsx_rows(_download(browser(who), "certificates", "xlsx"))):
            assert {row[0] for row in rows[1:]} == expected
    other = db.session.scalar(text("SELECT code FROM certificates WHERE dossier_id = :id"),
                              {"id": scene.dossiers["other_expiring"].id})
    assert other not in {row[0] for row in csv_rows(_download(browser("officer"), "certificates", "csv"))}
    rows = xlsx_rows(_download(browser("admin"), "certificates", "xlsx"))
    assert rows[0][6] == "Có hiệu lực đến hết ngày"
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code[other][6].date().isoformat() == "2026-10-02"  # signed 02/10/2023: valid through 02/10/2026
    assert by_code[other][8] == "UBND huyện"  # the district-era 3★, recognised by the district's chairman
    late = db.session.scalar(text("SELECT code FROM certificates WHERE dossier_id = :id"),
                             {"id": scene.dossiers["late"].id})
    assert by_code[late][5].date().isoformat() == "2026-05-04" and by_code[late][8] == "UBND tỉnh"


@pytest.mark.parametrize("key", ["states", "stars", "product_sets", "funnel", "first_level_checks", "pipeline"])
def test_dashboard_table_downloads_equal_the_page(scene, browser, key):
    client = browser("officer")
    query = "?date_from=2026-03-01&date_to=2026-05-31"
    shown = figure_tables(client, query)[key]
    csv, xlsx = (rows(_download(client, f"tables/{key}", fmt, query)) for rows, fmt in (
        (csv_rows, "csv"), (xlsx_rows, "xlsx")))
    assert len(csv) == len(xlsx) == len(shown) + 1
    assert [row[1:] for row in csv[1:]] == list(shown.values())
    assert [[str(value) for value in row[1:]] for row in xlsx[1:]] == list(shown.values())


def test_expiring_download_lists_the_certificates(scene, browser):
    rows = xlsx_rows(_download(browser("admin"), "tables/expiring", "xlsx"))
    assert [row[0] for row in rows[1:]] == list(figure_tables(browser("admin"))["expiring"])
    assert rows[0][4] == "Có hiệu lực đến hết ngày"  # the last valid day, not the first day without validity
    assert rows[1][4].date().isoformat() == "2026-09-01"  # a real date cell, soonest first


def test_downloads_are_get_only_and_need_sign_in(scene, client, browser):
    assert client.get("/reports/dossiers.csv").status_code == 302
    assert browser("admin").post("/reports/dossiers.csv").status_code == 405
    assert browser("admin").get("/reports/dossiers.pdf").status_code == 404


def test_list_page_links_its_downloads_with_its_filters(scene, browser):
    page = browser("admin").get("/?state=certified&due=").get_data(as_text=True)
    assert 'href="/reports/dossiers.csv?state=certified&amp;due="' in page
    assert 'href="/reports/dossiers.xlsx?state=certified&amp;due="' in page
