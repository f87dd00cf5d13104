"""Post/redirect/get without losing what the user typed: a refused form's input and errors ride in the session to
the page it redirects to, once. The session is a cookie, so only a small input is kept (a long one is retyped)."""
from __future__ import annotations

import json

from flask import request, session
from werkzeug.datastructures import MultiDict

SESSION_KEY = "kept_input"
MAX_JSON_BYTES = 1800  # the cookie must stay under the browsers' 4 KB, next to the sign-in and the flashed message


def keep_input(key: str, form, errors: dict[str, list[str]] | None = None, **facts) -> None:
    """Remember the posted fields of `form` (its prefix only, never the CSRF token), its errors and a few facts."""
    prefix = form._prefix
    data = [[name, value] for name, value in request.form.items(multi=True)
            if name.startswith(prefix) and name != f"{prefix}csrf_token"]
    kept = {"key": key, "data": data, "errors": errors if errors is not None else form.errors, "facts": facts}
    if len(json.dumps(kept)) > MAX_JSON_BYTES:
        kept["data"] = []
    session[SESSION_KEY] = kept


def take_input(key: str) -> dict | None:
    """What was kept for `key` ({"data", "errors", "facts"}), forgotten once read; None when nothing was."""
    kept = session.get(SESSION_KEY)
    if not kept or kept.get("key") != key:
        return None
    session.pop(SESSION_KEY)
    return kept


def refill(form_factory, kept: dict | None):
    """A form built from kept input, with its errors on its fields; without any, the form as it comes."""
    if kept is None:
        return form_factory()
    form = form_factory(formdata=MultiDict(kept["data"]))
    for name, messages in kept["errors"].items():
        if name in form:
            form[name].errors = list(messages)
    return form
