"""Dashboards and exports for officers and administrators (issue 5)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("reports", __name__)
