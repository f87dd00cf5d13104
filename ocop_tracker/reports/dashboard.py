"""The dashboard's figures as labelled tables: the page, its charts and the exports all read these.

Each figure is read (READS: plain JSON values, in no language, which the dashboard's snapshot keeps) and then
labelled (SHAPES: in the reader's language), so a kept snapshot and a live download give the same tables.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask import url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _

from ..accounts.models import User
from ..labels import STATE_LABELS
from ..workflow import STATES
from . import queries
from .queries import CHECK_COLUMNS, PIPELINE_COLUMNS, PIPELINE_KINDS, ReportFilters

FIRST_ROWS = 20  # a list figure shows this many rows on the dashboard; its "see all" page and download, every one


@dataclass
class Row:
    label: str
    values: list[Any]
    key: str = ""  # the machine word of the row (state, star, set number, unit id, certificate code)
    href: str | None = None


@dataclass
class Figure:
    """One dashboard table: its title, what the period filters on, headers (label column first) and rows."""

    key: str
    title: str
    basis: str
    columns: list[str]
    rows: list[Row] = field(default_factory=list)
    chart: str | None = None  # "bars", "funnel" or "stacked"; None: a list, no chart
    total: int | None = None  # rows behind the page when it shows only the first ones (None: all are shown)
    more_href: str | None = None  # where to read them all, a page at a time

    @property
    def cut(self) -> bool:
        return self.total is not None and self.total > len(self.rows)


def _read_stars(user: User, filters: ReportFilters, _today: date) -> dict[str, int]:
    return {str(star): count for star, count in queries.certificates_by_star(user, filters).items()}


def _read_product_sets(user: User, filters: ReportFilters, _today: date) -> list[list]:
    return [list(row) for row in queries.dossiers_by_product_set(user, filters)]


def _read_checks(user: User, filters: ReportFilters, today: date) -> dict[str, Any]:
    units = [list(row) for row in queries.first_level_checks(user, filters, today)]
    return {"units": units, "total": len(units)}


def _busiest(units: list[list]) -> list[list]:
    """The FIRST_ROWS units with the most checks due, in the name order of the whole table."""
    shown = {row[0] for row in sorted(units, key=lambda row: -sum(row[2:]))[:FIRST_ROWS]}
    return [row for row in units if row[0] in shown]


def _read_pipeline(user: User, filters: ReportFilters, _today: date) -> list[list]:
    return [[kind, stage, count] for (kind, stage), count in queries.pipeline(user, filters).items()]


def expiring_values(certificate, product: str, organisation: str) -> list:
    """A certificate of the expiring list as plain values: code, product, organisation, star, last day, dossier."""
    return [certificate.code, product, organisation, certificate.star, certificate.expires_on.isoformat(),
            certificate.dossier_id]


def _read_expiring(user: User, filters: ReportFilters, today: date) -> dict[str, Any]:
    """The soonest FIRST_ROWS certificates and how many there are (its download streams them all instead)."""
    return {"first": [expiring_values(*row) for row in queries.expiring_first(user, filters, today, FIRST_ROWS)],
            "count": queries.expiring_count(user, filters, today)}


def _by_state(counts: dict[str, int], _every_row: bool) -> Figure:
    return Figure("states", _("Hồ sơ theo trạng thái"), _(
        "Kỳ lọc theo ngày tiếp nhận hồ sơ; khi chọn kỳ, bản nháp (chưa tiếp nhận) không được tính."),
        [_("Trạng thái"), _("Số hồ sơ")],
        [Row(str(STATE_LABELS[state]), [counts[state]], state) for state in STATES if counts.get(state)], "bars")


def _by_star(counts: dict[str, int], _every_row: bool) -> Figure:
    return Figure("stars", _("Giấy chứng nhận còn hiệu lực theo hạng sao"), _("Kỳ lọc theo ngày cấp."),
                  [_("Hạng sao"), _("Số giấy chứng nhận")],
                  [Row(ngettext("%(num)d sao", "%(num)d sao", star), [counts.get(str(star), 0)], str(star))
                   for star in (3, 4, 5)], "bars")


def _by_product_set(sets: list[list], _every_row: bool) -> Figure:
    english = str(get_locale()) == "en"
    return Figure("product_sets", _("Hồ sơ theo bộ sản phẩm"), _(
        "Kỳ lọc theo ngày tiếp nhận hồ sơ; khi chọn kỳ, bản nháp (chưa tiếp nhận) không được tính."),
        [_("Bộ sản phẩm"), _("Số hồ sơ")],
        [Row(f"{number}. {name_en if english else name_vi}", [count], str(number))
         for number, name_vi, name_en, count in sets], "bars")


def _funnel(counts: dict[str, int], _every_row: bool) -> Figure:
    names = {"draft": STATE_LABELS["draft"], "submitted": _("Đã nộp"), "star_rating": STATE_LABELS["star_rating"],
             "certified": STATE_LABELS["certified"]}
    return Figure("funnel", _("Từ bản nháp đến công nhận"), _(
        "Mỗi hồ sơ được tính một lần ở mỗi bước đã đạt tới; kỳ lọc theo ngày đạt bước đó "
        "(bước bản nháp: ngày tạo hồ sơ)."),
        [_("Bước"), _("Số hồ sơ")], [Row(str(names[stage]), [counts[stage]], stage) for stage in names], "funnel")


def _checks(checks: dict[str, Any], every_row: bool) -> Figure:
    names = {"on_time": _("Đúng hạn"), "late": _("Trễ hạn"), "open": _("Đang trong hạn"), "overdue": _("Quá hạn")}
    # A province's administrator sees thousands of units: the page draws the busiest (a snapshot keeps only
    # those), the download (every_row) holds them all.
    units = checks["units"] if every_row else _busiest(checks["units"])
    return Figure("first_level_checks", _("Thẩm định cấp cơ sở: đúng hạn và trễ hạn theo đơn vị"), _(
        "Kỳ lọc theo ngày đến hạn; hạn chưa xác định (lịch làm việc chưa có năm đó) không được tính. "
        "Đang trong hạn và quá hạn: chưa thẩm định xong."),
        [_("Đơn vị thẩm định")] + [names[column] for column in CHECK_COLUMNS],
        [Row(name, list(values), str(unit_id)) for unit_id, name, *values in units], "stacked",
        total=checks["total"])


def expiring_columns() -> list[str]:
    return [_("Mã giấy chứng nhận"), _("Sản phẩm"), _("Chủ thể"), _("Hạng sao"), _("Có hiệu lực đến hết ngày"),
            _("Mã hồ sơ")]


def expiring_row(code: str, product: str, organisation: str, star: int, expires_on: str, dossier_id: int) -> Row:
    """A certificate of the expiring list (as expiring_values gives it), linked to its dossier."""
    return Row(code, [product, organisation, star, date.fromisoformat(expires_on), dossier_id], code,
               url_for("dossiers.show", dossier_id=dossier_id))


def _expiring(expiring: dict[str, Any], _every_row: bool) -> Figure:
    return Figure("expiring", _("Giấy chứng nhận hết hạn trong 6 tháng tới"), _(
        "Giấy chứng nhận còn hiệu lực, hết hạn từ hôm nay đến 6 tháng tới; không theo kỳ lọc."),
        expiring_columns(), [expiring_row(*values) for values in expiring["first"]],
        total=expiring["count"], more_href=url_for("reports.expiring"))


def _pipeline(rounds: list[list], _every_row: bool) -> Figure:
    counts = {(kind, stage): count for kind, stage, count in rounds}
    kinds = {"upgrade": _("Nâng hạng sao"), "re_rating": _("Đánh giá lại")}
    names = {"preparing": _("Đang chuẩn bị"), "in_review": _("Đang thẩm định, chấm điểm"),
             "certified": _("Đã công nhận"), "not_recognised": _("Không đạt"), "cancelled": _("Đã huỷ"),
             "closed": _("Đã đóng khác")}
    return Figure("pipeline", _("Nâng hạng và đánh giá lại"), _(
        "Các lần đánh giá nâng hạng và phân hạng lại theo tình trạng; kỳ lọc theo ngày mở lần đánh giá."),
        [_("Loại lần đánh giá")] + [names[column] for column in PIPELINE_COLUMNS],
        [Row(kinds[kind], [counts.get((kind, column), 0) for column in PIPELINE_COLUMNS], kind)
         for kind in PIPELINE_KINDS], "stacked")


Read = Callable[[User, ReportFilters, date], Any]
# Each figure's plain values, in the page's order: what a snapshot keeps.
READS: dict[str, Read] = {
    "states": lambda user, filters, _today: queries.dossiers_by_state(user, filters),
    "stars": _read_stars, "product_sets": _read_product_sets,
    "funnel": lambda user, filters, _today: queries.funnel(user, filters),
    "first_level_checks": _read_checks, "pipeline": _read_pipeline, "expiring": _read_expiring,
}
# Each labels its values; every_row=True: with every row, for the table's download.
SHAPES: dict[str, Callable[[Any, bool], Figure]] = {
    "states": _by_state, "stars": _by_star, "product_sets": _by_product_set, "funnel": _funnel,
    "first_level_checks": _checks, "pipeline": _pipeline, "expiring": _expiring,
}


def _live(key: str) -> Callable[[User, ReportFilters, date, bool], Figure]:
    return lambda user, filters, today, every_row: SHAPES[key](READS[key](user, filters, today), every_row)


# Each builds its figure from the database now (the downloads: live and exact).
FIGURES: dict[str, Callable[[User, ReportFilters, date, bool], Figure]] = {key: _live(key) for key in READS}


def read_figures(user: User, filters: ReportFilters, today: date) -> dict[str, Any]:
    """Every figure's plain values, as a snapshot keeps them: the page's rows only (a national table of checks has
    thousands of units)."""
    figures = {key: read(user, filters, today) for key, read in READS.items()}
    checks = figures["first_level_checks"]
    figures["first_level_checks"] = {**checks, "units": _busiest(checks["units"])}
    return figures


def dashboard(figures: dict[str, Any]) -> list[Figure]:
    """Every figure of the dashboard from its plain values, in the page's order."""
    return [shape(figures[key], False) for key, shape in SHAPES.items()]
