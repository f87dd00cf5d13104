"""API endpoints: dossiers (issue 5)."""
from __future__ import annotations

from .views import bp  # noqa: F401  routes attach to the one API blueprint
