"""What text the app takes in and how long it may be; and text made safe for a mail header.

Shared by the web forms (forms_base), the JSON API (api/inputs, api/payload) and the mail layer (notifications),
so one rule holds everywhere. No Flask here.
"""
from __future__ import annotations

import re
import unicodedata

# Limits of texts that have no database column of their own to match.
LINE_MAX = 200  # a single-line field
NOTE_MAX = 2000  # a reason, comment or note (a text area)
DESCRIPTION_MAX = 5000  # a product's description

# Line breaks and tabs are text in a text area; in a one-line field they are how a header is forged.
_AREA_WHITESPACE = frozenset("\n\r\t")
# Categories no field takes: control characters (Cc) and lone surrogates (Cs, which no database stores).
_NEVER = frozenset({"Cc", "Cs"})
# Besides those, a one-line field takes no line or paragraph separator (str.splitlines breaks on them too).
_NOT_IN_A_LINE = _NEVER | {"Zl", "Zp"}
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable(value: str) -> bool:
    """NUL or a lone surrogate: text no database stores (PostgreSQL refuses NUL, UTF-8 has no surrogates)."""
    return _UNSTORABLE.search(value) is not None


def refused_character(value: str, *, multiline: bool) -> str | None:
    """The first character a field of this kind may not hold, or None when the text is acceptable."""
    refused = _NEVER if multiline else _NOT_IN_A_LINE
    for character in value:
        if unicodedata.category(character) in refused and not (multiline and character in _AREA_WHITESPACE):
            return character
    return None


def header_value(value: str | None, *, limit: int | None = None) -> str:
    """Text that a mail header can always carry: every control character, line break and surrogate becomes a
    space (runs collapse to one), so a value stored before the input rules existed can never stop a mail."""
    value = value or ""
    # A printable text holds none of those (they are all "Other" or line/paragraph separators): no per-character look.
    cleaned = value if value.isprintable() else "".join(" " if unicodedata.category(c) in _NOT_IN_A_LINE else c
                                                        for c in value)
    cleaned = " ".join(cleaned.split())
    if limit is not None and len(cleaned) > limit:
        cleaned = cleaned[:limit - 1].rstrip() + "…"
    return cleaned


def folded(text: str) -> str:
    """Lower case without diacritics, so "che my tan" finds "Chè Mỹ Tân" (đ has no decomposition: by hand)."""
    decomposed = unicodedata.normalize("NFD", (text or "").casefold().replace("đ", "d"))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())
