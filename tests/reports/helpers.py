"""Reading what the dashboard and the downloads show, and counting the same things with SQL of our own."""
from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

from openpyxl import load_workbook
from sqlalchemy import text

from ocop_tracker.extensions import db

BOM = "\ufeff"


class _Tables(HTMLParser):
    """{table id: {row data-key: [cell data-value, ...]}} of the dashboard's figure tables."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, dict[str, list[str]]] = {}
        self.table = self.row = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and (attrs.get("id") or "").startswith("figure-"):
            self.table = self.tables.setdefault(attrs["id"].removeprefix("figure-"), {})
        elif tag == "tr" and self.table is not None and "data-key" in attrs:
            self.row = self.table.setdefault(attrs["data-key"], [])
        elif tag == "td" and self.row is not None and "data-value" in attrs:
            self.row.append(attrs["data-value"])

    def handle_endtag(self, tag):
        if tag == "table":
            self.table = self.row = None


def figure_tables(client, query: str = "") -> dict[str, dict[str, list[str]]]:
    response = client.get(f"/reports{query}")
    assert response.status_code == 200, response.status_code
    parser = _Tables()
    parser.feed(response.get_data(as_text=True))
    return parser.tables


def ints(table: dict[str, list[str]]) -> dict[str, list[int]]:
    return {key: [int(value) for value in values] for key, values in table.items()}


def csv_rows(response) -> list[list[str]]:
    body = response.get_data(as_text=True)
    assert body.startswith(BOM)
    return list(csv.reader(io.StringIO(body.removeprefix(BOM))))


def xlsx_rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.get_data())).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def visible_sql(username: str) -> str:
    """Ids of the dossiers a user may see, written here in SQL: officers their unit's non-drafts (an abolished
    unit's officers only the rounds it checked itself), admins all."""
    role, unit_id, unit_path, abolished = db.session.execute(text(
        "SELECT u.role, a.id, a.path, a.abolished_on FROM users u LEFT JOIN administrative_units a ON a.id = u.unit_id "
        "WHERE u.username = :name"), {"name": username}).one()
    if role == "admin":
        return "SELECT id FROM dossiers"
    assert role == "officer"
    if abolished is not None:
        return f"SELECT id FROM dossiers WHERE review_unit_id = {int(unit_id)} AND state <> 'draft'"
    return ("SELECT d.id FROM dossiers d JOIN administrative_units r ON r.id = d.review_unit_id "
            f"WHERE r.path LIKE '{unit_path}%' AND d.state <> 'draft'")


def in_unit_sql(unit_id: int) -> str:
    """Ids of the dossiers whose producer lies in the unit or below it."""
    return ("SELECT p.id FROM products p JOIN organisations o ON o.id = p.organisation_id "
            "JOIN administrative_units a ON a.id = o.unit_id WHERE a.path LIKE "
            f"(SELECT path FROM administrative_units WHERE id = {int(unit_id)}) || '%'")


def counted(sql: str, **params) -> dict[str, list[int]]:
    """{first column as text: the other columns} of an SQL query of ours."""
    return {str(row[0]): [int(value) for value in row[1:]] for row in db.session.execute(text(sql), params)}


def scope_sql(username: str, unit_id: int | None = None) -> str:
    """The dossiers a figure counts: those the user may see, inside the chosen unit when there is one."""
    unit = f" AND product_id IN ({in_unit_sql(unit_id)})" if unit_id else ""
    return f"SELECT id FROM dossiers WHERE id IN ({visible_sql(username)}){unit}"
