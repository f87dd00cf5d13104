"""The dashboard's figures as labelled tables: the page, its charts and the exports all read these."""
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


def _by_state(user: User, filters: ReportFilters, _today: date, _every_row: bool = False) -> Figure:
    counts = queries.dossiers_by_state(user, filters)
    return Figure("states", _("Hồ sơ theo trạng thái"), _(
        "Kỳ lọc theo ngày tiếp nhận hồ sơ; khi chọn kỳ, bản nháp (chưa tiếp nhận) không được tính."),
        [_("Trạng thái"), _("Số hồ sơ")],
        [Row(str(STATE_LABELS[state]), [counts[state]], state) for state in STATES if counts.get(state)], "bars")


def _by_star(user: User, filters: ReportFilters, _today: date, _every_row: bool = False) -> Figure:
    counts = queries.certificates_by_star(user, filters)
    return Figure("stars", _("Giấy chứng nhận còn hiệu lực theo hạng sao"), _("Kỳ lọc theo ngày cấp."),
                  [_("Hạng sao"), _("Số giấy chứng nhận")],
                  [Row(ngettext("%(num)d sao", "%(num)d sao", star), [counts.get(star, 0)], str(star))
                   for star in (3, 4, 5)], "bars")


def _by_product_set(user: User, filters: ReportFilters, _today: date, _every_row: bool = False) -> Figure:
    english = str(get_locale()) == "en"
    return Figure("product_sets", _("Hồ sơ theo bộ sản phẩm"), _(
        "Kỳ lọc theo ngày tiếp nhận hồ sơ; khi chọn kỳ, bản nháp (chưa tiếp nhận) không được tính."),
        [_("Bộ sản phẩm"), _("Số hồ sơ")],
        [Row(f"{number}. {name_en if english else name_vi}", [count], str(number))
         for number, name_vi, name_en, count in queries.dossiers_by_product_set(user, filters)], "bars")


def _funnel(user: User, filters: ReportFilters, _today: date, _every_row: bool = False) -> Figure:
    counts = queries.funnel(user, filters)
    names = {"draft": STATE_LABELS["draft"], "submitted": _("Đã nộp"), "star_rating": STATE_LABELS["star_rating"],
             "certified": STATE_LABELS["certified"]}
    return Figure("funnel", _("Từ bản nháp đến công nhận"), _(
        "Mỗi hồ sơ được tính một lần ở mỗi bước đã đạt tới; kỳ lọc theo ngày đạt bước đó "
        "(bước bản nháp: ngày tạo hồ sơ)."),
        [_("Bước"), _("Số hồ sơ")], [Row(str(names[stage]), [counts[stage]], stage) for stage in names], "funnel")


def _checks(user: User, filters: ReportFilters, today: date, every_row: bool = False) -> Figure:
    names = {"on_time": _("Đúng hạn"), "late": _("Trễ hạn"), "open": _("Đang trong hạn"), "overdue": _("Quá hạn")}
    rows = [Row(name, list(values), str(unit_id))
            for unit_id, name, *values in queries.first_level_checks(user, filters, today)]
    # A province's administrator sees thousands of units: the page draws the units with the most checks due (in
    # the name order of the whole table), the download (every_row) holds them all.
    shown = {row.key for row in sorted(rows, key=lambda row: -sum(row.values))[:FIRST_ROWS]}
    return Figure("first_level_checks", _("Thẩm định cấp cơ sở: đúng hạn và trễ hạn theo đơn vị"), _(
        "Kỳ lọc theo ngày đến hạn; hạn chưa xác định (lịch làm việc chưa có năm đó) không được tính. "
        "Đang trong hạn và quá hạn: chưa thẩm định xong."),
        [_("Đơn vị thẩm định")] + [names[column] for column in CHECK_COLUMNS],
        rows if every_row else [row for row in rows if row.key in shown], "stacked", total=len(rows))


def expiring_columns() -> list[str]:
    return [_("Mã giấy chứng nhận"), _("Sản phẩm"), _("Chủ thể"), _("Hạng sao"), _("Có hiệu lực đến hết ngày"),
            _("Mã hồ sơ")]


def expiring_row(certificate, product: str, organisation: str) -> Row:
    """A certificate of the expiring list, linked to its dossier."""
    return Row(certificate.code, [product, organisation, certificate.star, certificate.expires_on,
                                  certificate.dossier_id], certificate.code,
               url_for("dossiers.show", dossier_id=certificate.dossier_id))


def _expiring(user: User, filters: ReportFilters, today: date, _every_row: bool = False) -> Figure:
    """The soonest FIRST_ROWS certificates and how many there are (its download streams them all instead)."""
    return Figure("expiring", _("Giấy chứng nhận hết hạn trong 6 tháng tới"), _(
        "Giấy chứng nhận còn hiệu lực, hết hạn từ hôm nay đến 6 tháng tới; không theo kỳ lọc."),
        expiring_columns(), [expiring_row(*row) for row in queries.expiring_first(user, filters, today, FIRST_ROWS)],
        total=queries.expiring_count(user, filters, today), more_href=url_for("reports.expiring"))


def _pipeline(user: User, filters: ReportFilters, _today: date, _every_row: bool = False) -> Figure:
    counts = queries.pipeline(user, filters)
    kinds = {"upgrade": _("Nâng hạng sao"), "re_rating": _("Đánh giá lại")}
    names = {"preparing": _("Đang chuẩn bị"), "in_review": _("Đang thẩm định, chấm điểm"),
             "certified": _("Đã công nhận"), "not_recognised": _("Không đạt"), "cancelled": _("Đã huỷ"),
             "closed": _("Đã đóng khác")}
    return Figure("pipeline", _("Nâng hạng và đánh giá lại"), _(
        "Các lần đánh giá nâng hạng và phân hạng lại theo tình trạng; kỳ lọc theo ngày mở lần đánh giá."),
        [_("Loại lần đánh giá")] + [names[column] for column in PIPELINE_COLUMNS],
        [Row(kinds[kind], [counts.get((kind, column), 0) for column in PIPELINE_COLUMNS], kind)
         for kind in PIPELINE_KINDS], "stacked")


# Each builds its figure for the page; every_row=True: with every row, for the table's download.
FIGURES: dict[str, Callable[[User, ReportFilters, date, bool], Figure]] = {
    "states": _by_state, "stars": _by_star, "product_sets": _by_product_set, "funnel": _funnel,
    "first_level_checks": _checks, "pipeline": _pipeline, "expiring": _expiring,
}


def dashboard(user: User, filters: ReportFilters, today: date) -> list[Figure]:
    """Every figure of the dashboard, in the page's order."""
    return [build(user, filters, today, False) for build in FIGURES.values()]
