"""Texts of many mails in one language, each computed once: what every mail of a kind says the same way (labels,
subject patterns, formatted days, links) is translated on first use under `force_locale` and then reused, instead
of asking Babel again for every mail (its context look-ups were ~15 % of a `flask daily` run at 100,000 dossiers).

A pattern is kept untranslated of its values (`_("… %(name)s …")` without arguments returns the translated
pattern as it is), and filled with `%` per mail: the same text as `_(pattern, **values)`.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import current_app, g
from flask_babel import force_locale
from flask_babel import gettext as _
from jinja2 import Template

from ..accounts.models import User
from ..summaries.lines import Section, link

T = TypeVar("T")


class Phrasebook:
    """One language's texts for a run (kept on `g`, so for one app context: a command's run)."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self._said: dict[Any, Any] = {}
        self._templates: tuple[Template, Template] | None = None

    @classmethod
    def of(cls, person: User) -> Phrasebook:
        """The phrasebook of the person's language (Vietnamese when none is set)."""
        books = g.setdefault("phrasebooks", {})
        locale = person.locale or "vi"
        if locale not in books:
            books[locale] = cls(locale)
        return books[locale]

    def __call__(self, key: Any, compute: Callable[[], T]) -> T:
        """What `compute` gives in this language, computed the first time `key` is asked."""
        try:
            return self._said[key]
        except KeyError:
            with force_locale(self.locale):
                value = self._said[key] = compute()
            return value

    def mail_parts(self, user: User, *, subject: str, intro: str, sections: list[Section],
                   links: list[tuple[str, str]]) -> tuple[str, str]:
        """The text and HTML parts of a mail to `user`: the same as `summaries.lines.mail_parts` gives (the same
        templates and words), with the words translated once and the templates rendered without Flask's
        per-render context processors, which they do not use."""
        greeting, footer, settings = self("frame", lambda: (
            _("Chào %(name)s,"), _("Thư tự động của OCOP Tracker gửi tài khoản %(username)s."),
            (_("Chọn nhận thư từng việc hay chỉ bản tóm tắt, ở trang Tài khoản"), link("accounts.profile"))))
        if self._templates is None:
            environment = current_app.jinja_env
            self._templates = (environment.get_template("emails/summary.txt"),
                               environment.get_template("emails/summary.html"))
        context = {"subject": subject, "intro": intro, "sections": sections, "lang": user.locale,
                   "greeting": greeting % {"name": user.full_name or user.username},
                   "footer": footer % {"username": user.username}, "links": [*links, settings]}
        text, html = self._templates
        return text.render(context), html.render(context)
