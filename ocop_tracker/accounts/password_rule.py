"""The rule a new password meets (NIST SP 800-63B 3.1.1.2): long enough, not common, not guessable from context."""
from __future__ import annotations

import unicodedata
from functools import cache
from itertools import pairwise
from pathlib import Path

MIN_PASSWORD_LENGTH = 8
COMMON_PASSWORDS = Path(__file__).parent / "data" / "common-passwords.txt"
SERVICE_WORDS = ("ocop",)  # the service's own name is the first word a guesser tries
SHORTEST_CONTEXT_WORD = 3  # a username of one or two letters would refuse half of all passwords
LONGEST_REPEATED_UNIT = 3  # "aaaaaaaa", "abababab", "abcabcabc"


# Why a password is refused, by code (the reader's message is chosen from the code; this text is for logs and CLI).
REASONS = {
    "password_too_short": "the password needs at least 8 characters",
    "password_has_username": "the password must not be built from the username",
    "password_has_service_name": "the password must not contain the service's name",
    "password_repeated": "the password must not be one character or a short group repeated",
    "password_sequence": "the password must not be a run of consecutive characters",
    "password_common": "the password is one of the most common passwords",
}


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list, lowercased (lines starting "# " are notes)."""
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("# "))


def _letters_and_digits(text: str) -> str:
    """Lowercase letters and digits without Vietnamese marks or separators: "Ô.CÔ-P" → "ocop"."""
    plain = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(char for char in plain.casefold() if char.isalnum())


def _is_repeated(password: str) -> bool:
    """One character, or a unit of at most a few, over and over."""
    return any(len(password) % size == 0 and password == password[:size] * (len(password) // size)
               for size in range(1, LONGEST_REPEATED_UNIT + 1))


def _is_sequence(password: str) -> bool:
    """Each character one step up or down from the one before: "12345678", "hgfedcba", "7890123456"."""
    text = password.casefold()
    if text.isascii() and text.isdigit():
        steps = {(int(b) - int(a)) % 10 for a, b in pairwise(text)}
        return steps in ({1}, {9})
    steps = {ord(b) - ord(a) for a, b in pairwise(text)}
    return steps in ({1}, {-1})


def _built_from(password: str, word: str) -> bool:
    """The password contains the word, or is a piece of it (ignoring case, marks and separators)."""
    word, folded = _letters_and_digits(word), _letters_and_digits(password)
    return len(word) >= SHORTEST_CONTEXT_WORD and bool(folded) and (word in folded or folded in word)


def password_weakness(password: str, *, username: str = "") -> str | None:
    """Why the rule refuses this password (a REASONS code), or None when it is good enough."""
    password = unicodedata.normalize("NFKC", password)
    if len(password) < MIN_PASSWORD_LENGTH:
        return "password_too_short"
    if username and _built_from(password, username):
        return "password_has_username"
    if any(_built_from(password, word) for word in SERVICE_WORDS):
        return "password_has_service_name"
    if _is_repeated(password):
        return "password_repeated"
    if _is_sequence(password):
        return "password_sequence"
    if password.lower() in common_passwords():
        return "password_common"
    return None
