"""Numbers, dates and search texts read from a web address, kept inside what the database and date arithmetic can hold.

A page number, an id or a filter date typed into the address bar must never reach SQL or `timedelta` out of range
(SQLite overflows past 2**63, PostgreSQL's OFFSET past its bigint, Python's dates at year 1 and 9999).
"""
from __future__ import annotations

import re
from datetime import date

from flask import Flask, request
from flask_babel import gettext as _
from werkzeug.routing import IntegerConverter
from wtforms.validators import ValidationError

from .i18n import day

# Ids are 32-bit integers in every database we run on; a larger one cannot exist.
MAX_ID = 2**31 - 1
# Far beyond any list's last page, and its offset fits every database.
MAX_PAGE = 100_000
# Dates anyone may filter or record by; outside them a date is a typo, and arithmetic on it could overflow.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2200, 12, 31)
_DIGITS = re.compile(r"[0-9]+")


def page_arg(name: str = "page") -> int:
    """The page asked for in the query string: 1 when absent or not a whole number, MAX_PAGE at most
    (a page past the last is an empty page, as it would be on any list)."""
    raw = request.args.get(name, "")
    if not _DIGITS.fullmatch(raw):
        return 1
    digits = raw.lstrip("0") or "0"
    return MAX_PAGE if len(digits) > 6 else max(1, min(int(digits), MAX_PAGE))


def search_arg(name: str = "q", max_length: int = 120) -> str:
    """A search text from the query string: printable characters only (PostgreSQL's text refuses a NUL), cut."""
    raw = request.args.get(name, "")[:max_length]
    return "".join(ch for ch in raw if ch.isprintable() or ch == " ").strip()


def id_arg(name: str) -> int | None:
    """A record id in the query string, or None when absent, not a whole number or beyond any id."""
    raw = request.args.get(name, "")
    digits = raw.lstrip("0")
    if not _DIGITS.fullmatch(raw) or not digits or len(digits) > 10 or int(digits) > MAX_ID:
        return None
    return int(digits)


def day_in_range(day: date | None) -> bool:
    return day is None or FIRST_DAY <= day <= LAST_DAY


class DayInRange:
    """WTForms validator: a date from FIRST_DAY to LAST_DAY, said so in the reader's language."""

    def __call__(self, form, field) -> None:
        if not day_in_range(field.data):
            raise ValidationError(_("Ngày phải trong khoảng từ %(first)s đến %(last)s.", first=day(FIRST_DAY),
                                    last=day(LAST_DAY)))


class IdConverter(IntegerConverter):
    """`<int:…>` in an address stops at MAX_ID: a longer number is no row, so a 404 rather than an overflow."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = MAX_ID,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits, min, max, signed)


def register(app: Flask) -> None:
    """Before any blueprint adds its rules: every `<int:…>` is bounded."""
    app.url_map.converters["int"] = IdConverter
