"""Council pages: each member's scores for parts A/B/C."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("reviews", __name__)
