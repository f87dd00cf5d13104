"""Numbers in the reader's locale (Babel): "61,00" on Vietnamese pages, "61.00" on English ones."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import format_decimal

# Scores are stored and shown with two decimals, cut (rules.rulesets.shown_score): the format only adds the
# locale's separators, it never rounds a stored figure.
SCORE_FORMAT = "#,##0.00"


def score(value: Decimal | int | None) -> str:
    """A council mark, mean or score as the rule sets show it; empty for none."""
    return "" if value is None else format_decimal(value, SCORE_FORMAT)
