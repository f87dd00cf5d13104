"""Reading a JSON request body strictly: malformed JSON, unknown fields or wrong types are a 400."""
from __future__ import annotations

import json

from flask import request

from ..text_rules import unstorable
from .errors import ApiError

NUMBER = (int, float)  # a JSON number, whole or not
TYPE_NAMES = {str: "a string", int: "an integer", bool: "true or false", dict: "an object", list: "a list",
              NUMBER: "a number"}


def _has_type(value, wanted: type | tuple) -> bool:
    if wanted is not bool and isinstance(value, bool):  # JSON true is not a number
        return False
    return isinstance(value, wanted)


def _problem(value, wanted: type | tuple) -> str | None:
    """Why a field's value is refused, or None."""
    if not _has_type(value, wanted):
        return f"must be {TYPE_NAMES[wanted]}"
    if isinstance(value, str) and unstorable(value):  # JSON's \ud800 escapes can spell a lone surrogate
        return "must not contain NUL or unpaired surrogate characters"
    return None


def _no_constant(name: str):
    """NaN and Infinity are not JSON, although Python's parser would take them."""
    raise ValueError(f"{name} is not a JSON value")


def json_object(fields: dict[str, type | tuple], *, required: tuple[str, ...] = ()) -> dict | None:
    """The body as a dict with only `fields`, each of its type; None when the body is empty."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        return None
    try:
        data = json.loads(raw, parse_constant=_no_constant)
    except (ValueError, RecursionError) as error:  # RecursionError: hostile nesting, not a crash
        raise ApiError(400, "malformed_json", "the request body is not valid JSON", {"reason": str(error)}) from None
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_body", "the request body must be a JSON object")
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise ApiError(400, "unknown_fields", "the body has fields this endpoint does not take", {"fields": unknown})
    problems = {name: _problem(data[name], kind) for name, kind in fields.items() if name in data}
    wrong = {name: problem for name, problem in problems.items() if problem}
    if wrong:
        raise ApiError(400, "invalid_fields", "some fields have the wrong type", {"fields": wrong})
    missing = [name for name in required if name not in data]
    if missing:
        raise ApiError(400, "missing_fields", "some required fields are missing", {"fields": missing})
    return data
