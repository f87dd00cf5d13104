"""The permission predicates templates ask, as `can.<verb>(…)` with the signed-in user bound.

Templates never compare a role or a state: they ask the predicate the view itself checks, so a link or a button
shows exactly when following it works (tests/security/test_template_conditions.py keeps it so).
"""
from __future__ import annotations

from collections.abc import Callable
from functools import partial

from flask import Flask
from flask_login import current_user

from .accounts.models import User
from .admin.permissions import can_administer
from .batches.permissions import can_manage_batches
from .decisions.permissions import can_view_decision
from .dossiers.permissions import (
    can_edit_dossier,
    can_filter_by_assignee,
    can_open_dossier,
    can_record_vietgap,
    can_take_dossier,
)
from .reports.permissions import can_view_reports

PREDICATES: dict[str, Callable[..., bool]] = {
    predicate.__name__.removeprefix("can_"): predicate for predicate in (
        can_administer, can_manage_batches, can_view_decision, can_edit_dossier, can_filter_by_assignee,
        can_open_dossier, can_record_vietgap, can_take_dossier, can_view_reports)}


def signed_in_user() -> User | None:
    """The signed-in user, or None (anonymous, or no request: a mail rendered by cron)."""
    user = current_user._get_current_object() if current_user else None
    return user if user is not None and user.is_authenticated else None


class Can:
    """`can.record_vietgap(dossier)` in a template is `can_record_vietgap(current_user, dossier)`."""

    def __getattr__(self, verb: str) -> Callable[..., bool]:
        if verb not in PREDICATES:  # a misspelt verb fails the render instead of hiding a link
            raise AttributeError(f"no permission predicate can_{verb}")
        return partial(PREDICATES[verb], signed_in_user())


def register(app: Flask) -> None:
    app.jinja_env.globals["can"] = Can()
