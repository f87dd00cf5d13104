"""Rule sets as data: loaded from rules/data/*.json, frozen onto a dossier at submission."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta

DATA_DIR = Path(__file__).parent / "data"
RULE_SET_CODES = ("qd148-2023-district", "qd26-2026-commune")
DOCUMENT_KINDS = (
    "registration_form", "self_assessment", "business_licence", "food_safety_certificate",
    "quality_announcement", "test_report", "vietgap_certificate", "label", "product_story",
    "photo", "other",
)


@dataclass(frozen=True)
class RuleSet:
    """A read-only view over one rule set's data (the same dict that is frozen on a dossier)."""

    data: dict[str, Any]

    @property
    def code(self) -> str:
        return self.data["code"]

    @property
    def review_level(self) -> str:
        return self.data["review_level"]

    @property
    def council_level(self) -> str:
        return self.data["council_level"]

    @property
    def quorum(self) -> int:
        return self.data["quorum"]

    @property
    def part_maxima(self) -> dict[str, int]:
        return self.data["part_maxima"]

    def star_for(self, score: Decimal) -> int:
        """The star band a council score falls in."""
        return next(star for star, floor in self.data["star_bands"] if score >= floor)

    def rating_outcome(self, score: Decimal) -> str:
        """The state `close_rating` leads to for this score."""
        if score >= self.data["central_threshold"]:
            return "central_review"
        if score >= self.data["certify_threshold"]:
            return "certified"
        return "not_recognised"

    def recognising_level(self, star: int) -> str:
        return self.data["recognition"][str(star)]

    def has_vietgap_stage(self, product_set_number: int) -> bool:
        return product_set_number in self.data["vietgap_stage_sets"]

    def required_documents(self, dossier_type: str, group_code: str) -> list[str]:
        """Document kinds a dossier of this type and product group must hold, in order."""
        kinds = self.data["required_documents"][dossier_type] + self.data["required_by_group"].get(group_code, [])
        return list(dict.fromkeys(kinds))

    def certificate_expiry(self, issued_on: date) -> date:
        """Issue date plus the validity; a 29 February issue ends on the last day of February."""
        return issued_on + relativedelta(months=self.data["certificate_months"])

    def re_rating_window(self, expires_on: date) -> tuple[date, date]:
        """First and last day on which a re-rating may be filed."""
        opens, closes = self.data["re_rating_window_days"]
        return expires_on - timedelta(days=opens), expires_on - timedelta(days=closes)


def mean_score(totals: list[Decimal]) -> Decimal:
    """The council score: the mean of the members' totals, to two decimals."""
    return (sum(totals, Decimal(0)) / len(totals)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@cache
def _load(code: str) -> dict[str, Any]:
    if code not in RULE_SET_CODES:
        raise KeyError(f"unknown rule set {code!r}")
    return json.loads((DATA_DIR / f"{code}.json").read_text(encoding="utf-8"))


def get_rule_set(code: str) -> RuleSet:
    """The shipped rule set called `code` (a copy, so freezing it cannot alter the cache)."""
    return RuleSet(json.loads(json.dumps(_load(code))))


@cache
def product_catalogue() -> dict[str, Any]:
    """The six product groups and 26 product sets of the current rules."""
    return json.loads((DATA_DIR / "product-sets.json").read_text(encoding="utf-8"))
