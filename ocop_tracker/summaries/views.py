"""Summary previews: the signed-in user's own summary, and any user's for administrators, as it would be mailed."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for
from flask_login import current_user

from ..accounts.models import User
from ..clock import today
from ..extensions import db
from ..reports.snapshots import keep_taken_snapshots
from .services import PERIODS, summary_for

bp = Blueprint("summaries", __name__)
# The mail's HTML is shown in a sandboxed frame under its own policy: inline styles (as mail needs), nothing else.
MAIL_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; base-uri 'none'"


def _period() -> str:
    period = request.args.get("period", "daily")
    return period if period in PERIODS else "daily"


def _anyone(user_id: int) -> User:
    """Administrators preview anyone's summary; for everyone else the page does not exist."""
    if current_user.role != "admin":
        abort(404)
    return db.get_or_404(User, user_id)


def _page(user: User, frame_url: str):
    period = _period()
    page = render_template("summaries/show.html", recipient=user, period=period, frame_url=frame_url,
                           summary=summary_for(user, today(), period))
    keep_taken_snapshots()  # an admin's overview may have taken the dashboard's figures: kept for the next reader
    return page


def _mail_html(user: User):
    html = summary_for(user, today(), _period()).html
    keep_taken_snapshots()  # an admin's overview may have taken the dashboard's figures: kept for the next reader
    return html, 200, {"Content-Security-Policy": MAIL_POLICY, "Content-Type": "text/html; charset=utf-8"}


@bp.get("/summaries/me")
def me():
    return _page(current_user, url_for(".me_html", period=_period()))


@bp.get("/summaries/me/html")
def me_html():
    return _mail_html(current_user)


@bp.get("/admin/summaries/<int:user_id>")
def preview(user_id: int):
    user = _anyone(user_id)
    return _page(user, url_for(".preview_html", user_id=user.id, period=_period()))


@bp.get("/admin/summaries/<int:user_id>/html")
def preview_html(user_id: int):
    return _mail_html(_anyone(user_id))
