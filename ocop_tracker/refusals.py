"""The one refusal type: a service says no with a machine word (`code`), an HTTP status and the facts behind it.

Every family (workflow, documents, decisions, accounts, the calendar, the API's own) subclasses `Refusal`, so the
page helper (commit_point.py) and the API's error handler each handle all of them in one place. No Flask here: the
workflow imports it. The sentence a person reads is said by a speaker that the web layer registers per family.
"""
from __future__ import annotations

from collections.abc import Callable

# Who says a refusal to a person, by the refusal's class; the nearest class in the MRO wins.
_SPEAKERS: dict[type, Callable[[Refusal], str]] = {}


class Refusal(Exception):
    """A change a rule refuses; the API reports `status`, `code`, the English `message` and `details`."""

    code = "refused"
    status = 422
    flash_category = "danger"  # how a page shows it: a conflict is a warning, a broken rule an error

    def __init__(self, message: str, details: dict | None = None, *, code: str | None = None,
                 status: int | None = None, params: dict | None = None, headers: dict | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or {}
        self.params = params or {}  # what the person's sentence is filled with
        self.headers = headers or {}
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status


class NotVisible(Refusal):
    """Absent, or not the caller's to see: the same 404 either way, never a hint of what exists."""

    code, status = "not_found", 404


def speaks(family: type[Refusal]):
    """Register the function that says refusals of `family` (and its subclasses) in the reader's language."""
    def register(speaker: Callable):
        _SPEAKERS[family] = speaker
        return speaker
    return register


def speaker_of(error: Refusal) -> Callable[[Refusal], str] | None:
    for family in type(error).__mro__:
        if family in _SPEAKERS:
            return _SPEAKERS[family]
    return None
