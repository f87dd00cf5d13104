"""The public OCOP registry: search certified products, one page per certificate (issue 5)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("registry", __name__)
