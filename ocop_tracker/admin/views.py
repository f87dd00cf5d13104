"""Administration: users, units, organisations and councils (administrators only)."""
from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import current_user

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def require_admin():
    if not current_user.is_authenticated or current_user.role != "admin":
        abort(404)


@bp.get("/")
def index():
    return render_template("admin/index.html")
