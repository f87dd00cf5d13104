"""Texts of many mails in one language, each computed once: what every mail of a kind says the same way (labels,
subject patterns, formatted days, links) is translated on first use under `force_locale` and then reused, instead
of asking Babel again for every mail (its context look-ups were ~15 % of a `flask daily` run at 100,000 dossiers).

A pattern is kept untranslated of its values (`_("… %(name)s …")` without arguments returns the translated
pattern as it is), and filled with `%` per mail: the same text as `_(pattern, **values)`.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import g
from flask_babel import force_locale

from ..accounts.models import User
from ..summaries.lines import Section, mail_frame, mail_parts

T = TypeVar("T")


class Phrasebook:
    """One language's texts for a run (kept on `g`, so for one app context: a command's run)."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self._said: dict[Any, Any] = {}

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
        """The text and HTML parts of a mail to `user` (`summaries.lines.mail_parts`), its frame translated once."""
        return mail_parts(user, subject=subject, intro=intro, sections=sections, links=links,
                          frame=self("frame", mail_frame))
