"""Dossier pages: the list of what the signed-in user may see."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user

from ..workflow import STATES
from .queries import list_dossiers

bp = Blueprint("dossiers", __name__)


@bp.get("/")
def index():
    state = request.args.get("state")
    page = request.args.get("page", 1, type=int)
    dossiers = list_dossiers(current_user, state=state if state in STATES else None, page=page,
                             per_page=current_app.config["DOSSIERS_PER_PAGE"])
    return render_template("dossiers/index.html", dossiers=dossiers, states=STATES, state=state)
