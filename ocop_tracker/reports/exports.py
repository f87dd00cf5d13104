"""CSV and XLSX downloads, streamed: rows are read 500 at a time and never gathered into one list, each download
in one statement whatever its rows (what a row shows is joined to it, never asked per batch).

CSV goes out as it is written (a generator under stream_with_context), UTF-8 with a BOM so Excel reads the
Vietnamese right. XLSX is written by openpyxl in write-only mode (rows go to its temporary file as they come),
saved into a temporary file on disk and sent from there in chunks; the file is deleted when the download ends.
Cells that a spreadsheet would run as a formula get a leading apostrophe in both formats.
Statements are built in the view, before streaming: by the time a CSV generator runs, the request's database
session has been closed and the signed-in user object is detached; the rows are read in a fresh session.
"""
from __future__ import annotations

import csv
import io
import re
import tempfile
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any, NamedTuple

from flask import Response, send_file, stream_with_context
from flask_babel import get_locale
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from sqlalchemy import Select

from ..accounts.models import AdministrativeUnit, Organisation, User
from ..deadlines.models import Deadline
from ..deadlines.queries import next_deadline_id
from ..deadlines.status import view_of
from ..dossiers.models import Dossier
from ..extensions import db
from ..labels import CERTIFICATE_STATUS_LABELS, STATE_LABELS
from ..products.models import Product, ProductSet
from ..rules.rulesets import get_rule_set
from ..summaries.lines import DEADLINE_LABELS, DEADLINE_STATUS_LABELS
from .dashboard import Figure

BATCH = 500
CSV_CHUNK = 64 * 1024
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def neutralised(value: Any) -> Any:
    """A text a spreadsheet would take for a formula, made plain text by a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, date) else neutralised(value)


def csv_response(filename: str, header: list[str], rows: Iterable[list[Any]]) -> Response:
    """A CSV download written while it is sent."""
    def generate() -> Iterator[str]:
        buffer = io.StringIO()
        buffer.write("\ufeff")  # the BOM: Excel then reads UTF-8
        writer = csv.writer(buffer)
        writer.writerow([_csv_cell(name) for name in header])
        for row in rows:
            writer.writerow([_csv_cell(value) for value in row])
            if buffer.tell() >= CSV_CHUNK:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()
    response = Response(stream_with_context(generate()), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _xlsx_cell(sheet, value: Any, bold: bool = False) -> WriteOnlyCell:
    value = neutralised(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters openpyxl refuses to store
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, date):
        cell.number_format = "DD/MM/YYYY"
    if bold:
        cell.font = Font(bold=True)
    return cell


def xlsx_response(filename: str, title: str, header: list[str], rows: Iterable[list[Any]]) -> Response:
    """An XLSX download: one sheet, a bold header row, dates as dates."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE_FORBIDDEN.sub(" ", title)[:31])
    sheet.append([_xlsx_cell(sheet, name, bold=True) for name in header])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    handle = tempfile.TemporaryFile()  # noqa: SIM115  send_file streams it and closes it after the response
    workbook.save(handle)
    handle.seek(0)
    return send_file(handle, mimetype=XLSX_MIMETYPE, as_attachment=True, download_name=f"{filename}.xlsx")


def download(fmt: str, filename: str, title: str, header: list[str], rows: Iterable[list[Any]]) -> Response:
    if fmt == "xlsx":
        return xlsx_response(filename, title, header, rows)
    return csv_response(filename, header, rows)


def dossier_header() -> list[str]:
    return [_("Mã hồ sơ"), _("Sản phẩm"), _("Bộ sản phẩm"), _("Chủ thể"), _("Đơn vị"), _("Đơn vị thẩm định"),
            _("Trạng thái"), _("Mã trạng thái"), _("Ngày tiếp nhận"), _("Thời hạn tiếp theo"), _("Ngày đến hạn"),
            _("Tình trạng thời hạn"), _("Cán bộ xử lý")]


class _Labels(dict):
    """A label table translated once per word per download (a lazy string translates again at every str())."""

    def __init__(self, table: dict):
        super().__init__()
        self.table = table

    def __missing__(self, key: str) -> str:
        self[key] = str(self.table.get(key, key))
        return self[key]


class _Next(NamedTuple):
    """The next deadline's columns, read with its dossier's row (what deadlines.status.view_of reads)."""

    id: int
    kind: str
    starts_on: date
    due_on: date | None
    met_on: date | None


def _dossier_columns(statement: Select, today: date) -> Select:
    """The queue's statement (its filters and order) with the columns a row of the download shows, joined to it
    under aliases of their own (the filters may join a product or a unit already)."""
    product, product_set, organisation = db.aliased(Product), db.aliased(ProductSet), db.aliased(Organisation)
    unit, review_unit, assignee = db.aliased(AdministrativeUnit), db.aliased(AdministrativeUnit), db.aliased(User)
    following = db.aliased(Deadline)
    return statement.with_only_columns(
        Dossier.id, product.name, product_set.number,
        product_set.name_en if str(get_locale()) == "en" else product_set.name_vi, organisation.name, unit.name,
        review_unit.name, Dossier.state, Dossier.received_on, assignee.full_name, assignee.username,
        following.id, following.kind, following.starts_on, following.due_on, following.met_on,
    ).join(product, Dossier.product_id == product.id).join(product_set, product.product_set_id == product_set.id).join(
        organisation, product.organisation_id == organisation.id).join(unit, organisation.unit_id == unit.id).outerjoin(
        review_unit, Dossier.review_unit_id == review_unit.id).outerjoin(
        assignee, Dossier.assignee_id == assignee.id).outerjoin(following, following.id == next_deadline_id(today))


def dossier_rows(statement: Select, today: date) -> Iterator[list[Any]]:
    """The work queue's rows (its statement, built before streaming) as plain columns, each with its next deadline
    read in the same statement (an outer join on the id deadlines.queries.next_deadline_id picks): one query
    whatever the rows."""
    states, kinds, statuses = _Labels(STATE_LABELS), _Labels(DEADLINE_LABELS), _Labels(DEADLINE_STATUS_LABELS)
    rows = db.session.execute(_dossier_columns(statement, today).execution_options(yield_per=BATCH))
    for (dossier_id, product, set_number, set_name, organisation, unit, review_unit, state, received_on, full_name,
         username, *next_columns) in rows:
        deadline = view_of(_Next(*next_columns), today) if next_columns[0] is not None else None
        yield [dossier_id, product, f"{set_number}. {set_name}", organisation, unit, review_unit or "", states[state],
               state, received_on, kinds[deadline.kind] if deadline else "", deadline.due_on if deadline else None,
               statuses[deadline.status] if deadline else "", full_name or username or ""]


def certificate_header() -> list[str]:
    return [_("Mã giấy chứng nhận"), _("Sản phẩm"), _("Chủ thể"), _("Đơn vị"), _("Hạng sao"), _("Ngày cấp"),
            _("Có hiệu lực đến hết ngày"), _("Tình trạng"), _("Cấp công nhận"), _("Mã hồ sơ")]


def certificate_rows(statement: Select) -> Iterator[list[Any]]:
    """The certificate register's rows (its statement, built before streaming)."""
    statement = statement.execution_options(yield_per=BATCH)
    language = "en" if str(get_locale()) == "en" else "vi"
    levels: dict[str, dict] = {}  # level names per rule set, read once per export
    statuses = _Labels(CERTIFICATE_STATUS_LABELS)
    for code, product, organisation, unit, star, issued_on, expires_on, status, level, dossier_id, rule_set in (
            db.session.execute(statement)):
        names = levels.setdefault(rule_set, get_rule_set(rule_set).data["level_names"])
        yield [code, product, organisation, unit, star, issued_on, expires_on, statuses[status],
               names.get(level, {}).get(language, level), dossier_id]


def expiring_rows(statement: Select) -> Iterator[list[Any]]:
    """The dashboard's expiring certificates, every one (its statement, built before streaming)."""
    for certificate, product, organisation in db.session.execute(statement.execution_options(yield_per=BATCH)):
        yield [certificate.code, product, organisation, certificate.star, certificate.expires_on,
               certificate.dossier_id]


def figure_rows(figure: Figure) -> Iterator[list[Any]]:
    for row in figure.rows:
        yield [row.label, *row.values]
