"""Document pages: upload a new version, check it, preview it, download it."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from ..clock import today
from ..dossiers.placement import dossier_rules
from ..dossiers.queries import visible_dossier_or_404
from .services import document_checklist

bp = Blueprint("documents", __name__)


@bp.get("/dossiers/<int:dossier_id>/documents")
def index(dossier_id: int):
    dossier = visible_dossier_or_404(current_user, dossier_id)
    checklist = document_checklist(dossier, dossier_rules(dossier), today())
    return render_template("documents/index.html", dossier=dossier, checklist=checklist)
