"""Reading a request body through its pydantic model: malformed JSON, unknown fields, wrong types, missing fields or
wrong values are a 400 with the API's codes, in that order of precedence."""
from __future__ import annotations

import json
from typing import Any, TypeVar

from flask import request
from pydantic import ValidationError

from .errors import ApiError
from .fields import WRONG_TYPE, WRONG_VALUE, Part

Model = TypeVar("Model", bound=Part)
# pydantic's words for a value of the wrong JSON type, as the API says them.
TYPE_WORDS = {"string_type": "a string", "int_type": "an integer", "bool_type": "true or false",
              "dict_type": "an object", "model_type": "an object", "list_type": "a list", "float_type": "a number"}


def _no_constant(name: str):
    """NaN and Infinity are not JSON, although Python's parser would take them."""
    raise ValueError(f"{name} is not a JSON value")


def json_body() -> Any:
    """The body as JSON data; an empty body is None."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        return None
    try:
        return json.loads(raw, parse_constant=_no_constant)
    except (ValueError, RecursionError) as error:  # RecursionError: hostile nesting, not a crash
        raise ApiError(400, "malformed_json", "the request body is not valid JSON", {"reason": str(error)}) from None


def parse(model: type[Model], *, shapes: dict[str, str] | None = None) -> Model:
    """The JSON body read through `model`; an empty body is an empty object, so required fields are missing."""
    data = json_body()
    if data is not None and not isinstance(data, dict):
        raise ApiError(400, "invalid_body", "the request body must be a JSON object")
    return parse_data(model, data or {}, shapes=shapes)


def parse_data(model: type[Model], data: dict, *, shapes: dict[str, str] | None = None) -> Model:
    """`data` read through `model`; `shapes` overrides the model's sentences for fields that hold objects."""
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise refusal(error, {**model.shapes, **(shapes or {})}) from None


def refusal(error: ValidationError, shapes: dict[str, str]) -> ApiError:
    """The API's 400 for the first kind of problem found: unknown fields, wrong types, missing fields, values."""
    unknown: list[str] = []
    missing: list[str] = []
    wrong: dict[str, str] = {}
    values: dict[str, str] = {}
    for problem in error.errors(include_url=False):
        where, kind = problem["loc"], problem["type"]
        name = str(where[0]) if where else ""
        if len(where) == 1 and kind == "extra_forbidden":
            unknown.append(name)
        elif len(where) == 1 and kind == "missing":
            missing.append(name)
        elif len(where) == 1 and kind in TYPE_WORDS:
            wrong[name] = f"must be {TYPE_WORDS[kind]}"
        elif len(where) == 1 and kind == WRONG_TYPE:
            wrong[name] = problem["msg"]
        elif kind == WRONG_VALUE:  # inside an object too, the field is named by its own name
            values.setdefault(str(where[-1]), problem["msg"])
        else:  # anything else wrong inside an object or a list: what the whole field must look like
            values.setdefault(name, shapes.get(name, "has the wrong shape"))
    if unknown:
        return ApiError(400, "unknown_fields", "the body has fields this endpoint does not take",
                        {"fields": sorted(unknown)})
    if wrong:
        return ApiError(400, "invalid_fields", "some fields have the wrong type", {"fields": wrong})
    if missing:
        return ApiError(400, "missing_fields", "some required fields are missing", {"fields": missing})
    return invalid_fields(values)


def invalid_fields(reasons: dict[str, str]) -> ApiError:
    return ApiError(400, "invalid_fields", "some fields have the wrong type or value", {"fields": reasons})
