"""Dashboards and exports for officers and administrators (issue 5).

Exports are GET downloads of rows the user sees anyway: the work queue with its filters (everyone), the
certificate register of the user's dossiers (everyone), and each dashboard table (officers, administrators).
"""
from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..clock import today
from ..dossiers.page import read_queue_filters
from ..dossiers.queries import filtered_dossiers
from ..errors import render_error
from ..i18n import moment
from ..query_args import page_arg
from .charts import chart_svg
from .dashboard import FIGURES, expiring_columns, expiring_row, expiring_values
from .dashboard import dashboard as dashboard_figures
from .exports import (
    certificate_header,
    certificate_rows,
    dossier_header,
    dossier_rows,
    download,
    expiring_rows,
    figure_rows,
)
from .forms import RefreshForm, report_filters
from .permissions import can_view_reports
from .queries import certificate_register, expiring_certificates, expiring_page
from .snapshots import dashboard_snapshot, keep_taken_snapshots, refresh_snapshot

bp = Blueprint("reports", __name__)

EXPORT = "<any(csv, xlsx):fmt>"
FILTER_ARGS = ("date_from", "date_to", "unit")


def _reports_or_404() -> None:
    # Producers and council members get a 404: the dashboards do not exist for them.
    if not can_view_reports(current_user):
        abort(404)


def _filter_args() -> dict[str, str]:
    """The dashboard's filters as given, for the links that keep them (downloads, "see all")."""
    return {name: request.args[name] for name in FILTER_ARGS if request.args.get(name)}


@bp.get("/reports")
def dashboard():
    _reports_or_404()
    form, filters = report_filters(request.args, current_user)
    snapshot = dashboard_snapshot(current_user, filters, today())
    keep_taken_snapshots()
    figures = dashboard_figures(snapshot.figures)
    return render_template("reports/dashboard.html", form=form, figures=figures,
                           charts={figure.key: chart_svg(figure) for figure in figures},
                           filter_args=_filter_args(), taken_at=snapshot.taken_at, refresh_form=RefreshForm(),
                           today=today())


@bp.post("/reports/refresh")
def refresh():
    """Recompute the dashboard's figures of the user's scope and filters now, then show them."""
    if not can_view_reports(current_user):
        return render_error(403, _("Chỉ cán bộ và quản trị viên xem được thống kê, nên chỉ họ lấy lại được số liệu."))
    if RefreshForm().validate_on_submit():
        _form, filters = report_filters(request.args, current_user)
        snapshot = refresh_snapshot(current_user, filters, today())
        if snapshot.taken_now:
            keep_taken_snapshots()
            flash(_("Đã lấy số liệu mới."), "success")
        else:
            flash(_("Số liệu vừa được lấy lúc %(moment)s; vui lòng chờ %(seconds)d giây rồi lấy lại.",
                    moment=moment(snapshot.taken_at),
                    seconds=max(1, round(current_app.config["DASHBOARD_MIN_REFRESH"] - snapshot.age()))), "info")
    kept: dict[str, Any] = _filter_args()  # the same filters again
    return redirect(url_for(".dashboard", **kept))


@bp.get("/reports/expiring")
def expiring():
    """Every certificate of the dashboard's expiring list, a page at a time (the dashboard shows the first ones)."""
    _reports_or_404()
    _form, filters = report_filters(request.args, current_user)
    found = expiring_page(current_user, filters, today(), page=page_arg(),
                          per_page=current_app.config["DOSSIERS_PER_PAGE"])
    rows = [expiring_row(*expiring_values(*row)) for row in found.items]
    return render_template("reports/expiring.html", found=found, rows=rows,
                           columns=expiring_columns(), filter_args=_filter_args(), today=today())


@bp.get(f"/reports/tables/<key>.{EXPORT}")
def figure_export(key: str, fmt: str):
    _reports_or_404()
    if key not in FIGURES:
        abort(404)
    _form, filters = report_filters(request.args, current_user)
    name = f"thong-ke-{key.replace('_', '-')}-{today().isoformat()}"
    if key == "expiring":  # a list that grows with the certificates: streamed, as the other downloads
        return download(fmt, name, _("Giấy chứng nhận hết hạn trong 6 tháng tới"), expiring_columns(),
                        expiring_rows(expiring_certificates(current_user, filters, today())))
    figure = FIGURES[key](current_user, filters, today(), True)
    return download(fmt, name, figure.title, figure.columns, figure_rows(figure))


@bp.get(f"/reports/dossiers.{EXPORT}")
def dossiers_export(fmt: str):
    """The work queue with the filters of its page (/?state=&due=&...), every page of it."""
    _form, filters = read_queue_filters(request.args, current_user)
    statement = filtered_dossiers(current_user, filters, today=today())
    return download(fmt, f"ho-so-{today().isoformat()}", _("Hồ sơ"), dossier_header(), dossier_rows(statement, today()))


@bp.get(f"/reports/certificates.{EXPORT}")
def certificates_export(fmt: str):
    return download(fmt, f"giay-chung-nhan-{today().isoformat()}", _("Giấy chứng nhận"), certificate_header(),
                    certificate_rows(certificate_register(current_user)))
