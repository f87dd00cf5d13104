"""Reading the API's query parameters strictly, and the bounds its inputs share with the web pages; a bad one is a 400.

Request bodies are read through their pydantic models (bodies.py, payload.py)."""
from __future__ import annotations

import re

from flask import request

# Ids and pages are bounded as the web pages bound them; the API modules import the bounds from here.
from ..query_args import MAX_ID, MAX_PAGE  # noqa: F401
from .errors import ApiError
from .payload import invalid_fields

_WHOLE = re.compile(r"[0-9]{1,9}")


def invalid(name: str, reason: str) -> ApiError:
    """One field of a well-formed body whose value the endpoint refuses."""
    return invalid_fields({name: reason})


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
