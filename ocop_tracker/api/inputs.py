"""Reading the API's inputs strictly: bodies, texts, dates, marks and list parameters; a bad one is a 400."""
from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal

from flask import request

# Ids and pages are bounded as the web pages bound them; the API modules import the bounds from here.
from ..query_args import FIRST_DAY, LAST_DAY, MAX_ID, MAX_PAGE, day_in_range  # noqa: F401
from ..text_rules import refused_character
from .errors import ApiError
from .payload import NUMBER, json_object

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_WHOLE = re.compile(r"[0-9]{1,9}")


def invalid(name: str, reason: str) -> ApiError:
    return ApiError(400, "invalid_fields", "some fields have the wrong type or value", {"fields": {name: reason}})


def body(fields: dict[str, type | tuple], *, required: tuple[str, ...] = ()) -> dict:
    """The JSON body (see payload.json_object); an empty body is an empty object, so required fields are missing."""
    data = json_object(fields, required=required)
    if data is None and required:
        raise ApiError(400, "missing_fields", "some required fields are missing", {"fields": list(required)})
    return data or {}


def text(data: dict, name: str, *, max_length: int, required: bool = False, multiline: bool = False) -> str:
    """A text field, NFC and trimmed: one line unless `multiline` (text_rules), not too long, not empty if required."""
    value = unicodedata.normalize("NFC", data.get(name, "")).strip()
    if refused_character(value, multiline=multiline) is not None:
        raise invalid(name, "must not contain control characters" if multiline
                      else "must be one line without control characters (no line break or tab)")
    if len(value) > max_length:
        raise invalid(name, f"must be at most {max_length} characters")
    if required and not value:
        raise invalid(name, "must not be empty")
    return value


def day(data: dict, name: str) -> date | None:
    """A date written exactly YYYY-MM-DD, within the app's calendar (None when absent)."""
    raw = data.get(name)
    if raw is None:
        return None
    try:
        if not _DATE.fullmatch(raw):
            raise ValueError(raw)
        value = date.fromisoformat(raw)
    except ValueError:
        raise invalid(name, "must be a date written YYYY-MM-DD") from None
    if not day_in_range(value):
        raise invalid(name, f"must be a date from {FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}")
    return value


def number(data: dict, name: str) -> Decimal | None:
    """A JSON number as an exact decimal (None when absent)."""
    raw = data.get(name)
    return None if raw is None else Decimal(str(raw))


def identifier(data: dict, name: str) -> int:
    """A record id: a positive integer within the database's range."""
    value = data[name]
    if not 1 <= value <= MAX_ID:
        raise invalid(name, f"must be an id from 1 to {MAX_ID}")
    return value


def marks(data: dict, parts: tuple[str, ...]) -> dict:
    """The council marks {"A": n, "B": n, "C": n}: exactly these parts, each a number (ranges are the rules')."""
    given = data["parts"]
    if set(given) != set(parts) or not all(isinstance(v, NUMBER) and not isinstance(v, bool)
                                           for v in given.values()):
        shape = ", ".join(f'"{part}": n' for part in parts)
        raise invalid("parts", f"must be {{{shape}}} with a number for each part")
    return {part: Decimal(str(given[part])) for part in parts}


def whole_arg(name: str, *, default: int, maximum: int) -> int:
    """A query parameter that is a whole number from 1 to `maximum`."""
    raw = request.args.get(name)
    if raw is None:
        return default
    if not _WHOLE.fullmatch(raw) or not 1 <= int(raw) <= maximum:
        raise ApiError(400, "invalid_parameter", f"{name} must be a whole number from 1 to {maximum}",
                       {name: raw[:100]})
    return int(raw)


def choice_arg(name: str, choices: tuple[str, ...]) -> str | None:
    """A query parameter that is one of `choices` (None when absent or empty)."""
    raw = request.args.get(name) or None
    if raw is not None and raw not in choices:
        raise ApiError(400, "invalid_parameter", f"{name} must be one of: {', '.join(choices)}",
                       {name: raw[:100], "choices": list(choices)})
    return raw
