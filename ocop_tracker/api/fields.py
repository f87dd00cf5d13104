"""The kinds of field the API's request bodies are made of (pydantic v2), each with its check and its JSON Schema.

Errors carry one of two kinds besides pydantic's own, which payload.py turns into the API's 400s: WRONG_TYPE (the
value is not of the field's JSON type, or holds text no database stores) and WRONG_VALUE (the type is right, the
value is not: too long, not a date, out of range).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from pydantic import (
    BaseModel,
    ConfigDict,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    ValidationError,
    ValidatorFunctionWrapHandler,
    field_validator,
)
from pydantic_core import PydanticCustomError, core_schema

from ..query_args import FIRST_DAY, LAST_DAY, MAX_ID, day_in_range
from ..text_rules import refused_character, unstorable

WRONG_TYPE, WRONG_VALUE = "wrong_type", "wrong_value"
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def refuse(kind: str, reason: str) -> PydanticCustomError:
    # The reason goes in the context: a message template would read its braces as placeholders.
    return PydanticCustomError(kind, "{reason}", {"reason": reason})


def _openapi_ready(schema: dict[str, Any], model: type) -> None:
    """What pydantic adds that the document does not want: generated titles, defaults, docstrings as texts."""
    schema.pop("title", None)
    schema.pop("description", None)  # the class's docstring, written for programmers in English
    for field in schema.get("properties", {}).values():
        field.pop("title", None)
        field.pop("default", None)  # left out is not null, and the server's defaults are not part of the contract


class Part(BaseModel):
    """A closed JSON object of strictly typed fields: nothing unknown, nothing coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, json_schema_extra=_openapi_ready)
    # The sentence that says what a field holding objects or lists must look like, when anything inside is wrong.
    shapes: ClassVar[dict[str, str]] = {}
    # Fields the document shows by another schema than their type's (a component the answers use too).
    documented_as: ClassVar[dict[str, dict]] = {}
    # Multipart parts that are files, beside the model's text fields (the document lists them first).
    files: ClassVar[tuple[str, ...]] = ()


class Body(Part):
    """A whole request body: a text field sent must be text a database can store (a field of another type says
    what type it wants instead)."""

    @field_validator("*", mode="wrap")
    @classmethod
    def storable(cls, value: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        if not (isinstance(value, str) and unstorable(value)):  # JSON's \ud800 escapes can spell a lone surrogate
            return handler(value)
        try:
            handler(value)
        except ValidationError as error:
            if any(problem["type"] != WRONG_VALUE for problem in error.errors()):
                raise  # not a text field: its own type is the problem
        raise refuse(WRONG_TYPE, "must not contain NUL or unpaired surrogate characters")


@dataclass(frozen=True)
class Text:
    """A text NFC-normalised and trimmed: one line unless `multiline` (text_rules), not too long, not empty if
    `required`."""

    max_length: int
    required: bool = False
    multiline: bool = False

    def clean(self, value: str) -> str:
        value = unicodedata.normalize("NFC", value).strip()
        if refused_character(value, multiline=self.multiline) is not None:
            raise refuse(WRONG_VALUE, "must not contain control characters" if self.multiline
                         else "must be one line without control characters (no line break or tab)")
        if len(value) > self.max_length:
            raise refuse(WRONG_VALUE, f"must be at most {self.max_length} characters")
        if self.required and not value:
            raise refuse(WRONG_VALUE, "must not be empty")
        return value

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self.clean, handler(source))

    def __get_pydantic_json_schema__(self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler) -> dict:
        return {**handler(schema), "maxLength": self.max_length, **({"minLength": 1} if self.required else {})}


class Plain:
    """A field checked by one function, whatever its declared type (`date | None` only says a default exists)."""

    json_schema: ClassVar[dict[str, Any]] = {}

    def check(self, value: Any) -> Any:
        raise NotImplementedError

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(self.check)

    def __get_pydantic_json_schema__(self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler) -> dict:
        return dict(self.json_schema)


class Day(Plain):
    """A date written exactly YYYY-MM-DD, within the app's calendar."""

    json_schema: ClassVar[dict[str, Any]] = {"type": "string", "format": "date"}

    def check(self, value: Any) -> date:
        if not isinstance(value, str):
            raise refuse(WRONG_TYPE, "must be a string")
        try:
            if not _DATE.fullmatch(value):
                raise ValueError(value)
            day = date.fromisoformat(value)
        except ValueError:
            raise refuse(WRONG_VALUE, "must be a date written YYYY-MM-DD") from None
        if not day_in_range(day):
            raise refuse(WRONG_VALUE, f"must be a date from {FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}")
        return day


class Number(Plain):
    """A JSON number, whole or not (true is not one), as an exact decimal."""

    json_schema: ClassVar[dict[str, Any]] = {"type": "number"}

    def check(self, value: Any) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise refuse(WRONG_TYPE, "must be a number")
        return Decimal(str(value))


@dataclass(frozen=True)
class Identifier:
    """A record id: a positive integer within the database's range."""

    def check(self, value: int) -> int:
        if not 1 <= value <= MAX_ID:
            raise refuse(WRONG_VALUE, f"must be an id from 1 to {MAX_ID}")
        return value

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler) -> dict:
        return {**handler(schema), "minimum": 1, "maximum": MAX_ID}


class Omittable:
    """`X | None = None`: left out, the field is None; sent, it must be an X (an explicit null is a wrong type)."""

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        schema = handler(source)
        return schema["schema"] if schema["type"] == "nullable" else schema


DAY, NUMBER, ID, OMITTABLE = Day(), Number(), Identifier(), Omittable()
