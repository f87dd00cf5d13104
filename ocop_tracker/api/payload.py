"""Reading a JSON request body strictly: malformed JSON, unknown fields or wrong types are a 400."""
from __future__ import annotations

import json

from flask import request

from .errors import ApiError

TYPE_NAMES = {str: "a string", int: "an integer", bool: "true or false", dict: "an object", list: "a list"}


def _has_type(value, wanted: type) -> bool:
    if wanted is int and isinstance(value, bool):  # JSON true is not a number
        return False
    return isinstance(value, wanted)


def json_object(fields: dict[str, type], *, required: tuple[str, ...] = ()) -> dict | None:
    """The body as a dict with only `fields`, each of its type; None when the body is empty."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        return None
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise ApiError(400, "malformed_json", "the request body is not valid JSON", {"reason": str(error)}) from None
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_body", "the request body must be a JSON object")
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise ApiError(400, "unknown_fields", "the body has fields this endpoint does not take", {"fields": unknown})
    wrong = {name: f"must be {TYPE_NAMES[kind]}" for name, kind in fields.items()
             if name in data and not _has_type(data[name], kind)}
    if wrong:
        raise ApiError(400, "invalid_fields", "some fields have the wrong type", {"fields": wrong})
    missing = [name for name in required if name not in data]
    if missing:
        raise ApiError(400, "missing_fields", "some required fields are missing", {"fields": missing})
    return data
