"""Language choice and date formats: the user's language, else the browser session's, else Vietnamese."""
from __future__ import annotations

from datetime import date, datetime

from flask import current_app, session
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user

from .formatting import score

# Vietnamese readers expect dd/mm/yyyy; English readers get the month spelled out (no d/m ambiguity).
DATE_FORMATS = {"vi": "dd/MM/yyyy", "en": "d MMM yyyy"}
DATETIME_FORMATS = {"vi": "HH:mm dd/MM/yyyy", "en": "d MMM yyyy, HH:mm"}


def select_locale() -> str:
    supported = current_app.config["BABEL_SUPPORTED_LOCALES"]
    if current_user and current_user.is_authenticated and current_user.locale in supported:
        return current_user.locale
    if session.get("locale") in supported:
        return session["locale"]
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _language() -> str:
    return str(get_locale() or "vi").split("_")[0]


def day(value: date | None) -> str:
    """A date in the reader's format; empty for none."""
    return format_date(value, DATE_FORMATS.get(_language(), "yyyy-MM-dd")) if value else ""


def moment(value: datetime | None) -> str:
    """A time in Vietnam, in the reader's format; empty for none."""
    return format_datetime(value, DATETIME_FORMATS.get(_language(), "yyyy-MM-dd HH:mm")) if value else ""


def register(app) -> None:
    app.jinja_env.filters.update(day=day, moment=moment)
    app.jinja_env.filters["score"] = score  # numbers in the reader's locale
    app.jinja_env.globals["get_locale"] = get_locale
