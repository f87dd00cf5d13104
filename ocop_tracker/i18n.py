"""Language choice: the signed-in user's, else Vietnamese (producers often read only Vietnamese)."""
from __future__ import annotations

from flask import current_app
from flask_login import current_user


def select_locale() -> str:
    supported = current_app.config["BABEL_SUPPORTED_LOCALES"]
    if current_user and current_user.is_authenticated and current_user.locale in supported:
        return current_user.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]
