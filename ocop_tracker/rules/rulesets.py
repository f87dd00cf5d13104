"""Rule sets as data: loaded from rules/data/*.json, each in force for filings in its period, frozen on a round."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta

DATA_DIR = Path(__file__).parent / "data"
# Oldest first: the order of the law's succession.
RULE_SET_CODES = ("qd1048-2019-district", "qd148-2023-district", "qd1489-2025-commune", "qd26-2026-commune")
DOCUMENT_KINDS = (
    "registration_form", "self_assessment", "business_licence", "food_safety_certificate",
    "quality_announcement", "test_report", "vietgap_certificate", "label", "product_story",
    "photo", "other",
)
LOWEST_RECOGNISED_STAR = 3  # 1★ and 2★ get no decision and no certificate


@dataclass(frozen=True)
class Level:
    """One evaluation level of a rule set: its council, the stars it recognises, the score that sends a file up."""

    level: str
    recognises: tuple[int, ...]
    sends_up_from: int | None
    decided_by: dict[str, str]


@dataclass(frozen=True)
class RuleSet:
    """A read-only view over one rule set's data (the same dict that is frozen on a dossier)."""

    data: dict[str, Any]

    @property
    def code(self) -> str:
        return self.data["code"]

    @property
    def first_level(self) -> str:
        """The unit level that receives and checks the dossier: district, or commune since 2025."""
        return self.data["first_level"]

    @property
    def levels(self) -> list[Level]:
        return [Level(item["level"], tuple(item["recognises"]), item["sends_up_from"], item["decided_by"])
                for item in self.data["levels"]]

    @property
    def filings_from(self) -> date:
        return date.fromisoformat(self.data["filings_from"])

    @property
    def filings_until(self) -> date | None:
        until = self.data["filings_until"]
        return date.fromisoformat(until) if until else None

    def in_force_on(self, day: date) -> bool:
        return self.filings_from <= day and (self.filings_until is None or day <= self.filings_until)

    def level(self, code: str) -> Level | None:
        return next((level for level in self.levels if level.level == code), None)

    def level_after(self, code: str) -> Level | None:
        codes = [level.level for level in self.levels]
        index = codes.index(code) + 1 if code in codes else len(codes)
        return self.levels[index] if index < len(codes) else None

    @property
    def first_council_level(self) -> str:
        """The level whose council scores first: the district's own (district era) or the province."""
        return self.levels[0].level

    @property
    def first_level_has_council(self) -> bool:
        return self.first_council_level == self.first_level

    def quorum(self, sitting: int) -> int:
        """Scores needed to close a rating: the rule set's share of the sitting members, at least one."""
        return max(1, math.ceil(Fraction(str(self.data["quorum_share"])) * sitting))

    @property
    def score_spread(self) -> int:
        return self.data["score_spread"]

    @property
    def part_maxima(self) -> dict[str, int]:
        return self.data["part_maxima"]

    @property
    def has_batches(self) -> bool:
        return bool(self.data.get("batches"))

    @property
    def sheet_combination(self) -> dict[str, str]:
        """How the members' sheets combine for the star minimums (rule sets scored on the official sheets)."""
        return self.data.get("sheet_combination") or {"rule": "majority", "reason": ""}

    def star_for(self, score: Fraction | Decimal) -> int:
        """The star band a score falls in, compared on the exact value."""
        return next(star for star, floor in self.data["star_bands"] if score >= floor)

    def band_floor(self, star: int) -> int | None:
        """The lowest score of a star's band."""
        return next((floor for band, floor in self.data["star_bands"] if band == star), None)

    def rating_outcome(self, level: str, score: Fraction | Decimal, minimum_star: int | None = None) -> str:
        """Where a council of `level` sends a file with this exact mean score (before any round rule).

        `minimum_star` caps the band when the sheet's minimums allow less: the file then stays at its star here."""
        here = self.level(level)
        following = self.level_after(level)
        capped = minimum_star is not None and minimum_star < self.star_for(score)
        if here and following and here.sends_up_from is not None and score >= here.sends_up_from and not capped:
            return "central_review" if following.level == "central" else "provincial_review"
        star = self.proposed_star(score, minimum_star)
        if here and star in here.recognises:
            return "awaiting_decision"
        return "not_recognised"

    def proposed_star(self, score: Fraction | Decimal, minimum_star: int | None = None) -> int:
        """The band of the score, no higher than the star whose minimums are met."""
        band = self.star_for(score)
        return band if minimum_star is None else min(band, minimum_star)

    def decided_by(self, level: str, language: str = "vi") -> str:
        found = self.level(level)
        return found.decided_by.get(language, found.decided_by["vi"]) if found else level

    def level_name(self, level: str, language: str = "vi") -> str:
        names = self.data["level_names"].get(level, {})
        return names.get(language) or names.get("vi") or level

    def has_vietgap_stage(self, product_set_number: int) -> bool:
        return product_set_number in self.data["vietgap_stage_sets"]

    def required_documents(self, dossier_type: str, group_code: str) -> list[str]:
        """Document kinds a dossier of this type and product group must hold, in order."""
        kinds = self.data["required_documents"][dossier_type] + self.data["required_by_group"].get(group_code, [])
        return list(dict.fromkeys(kinds))

    def certificate_last_day(self, signed_on: date) -> date:
        """The last valid day: the same date N months on (Civil Code Điều 147–148); 29/02 ends on 28/02."""
        return signed_on + relativedelta(months=self.data["certificate_months"])

    def re_rating_window(self, last_valid_day: date) -> tuple[date, date]:
        """First and last day on which a re-rating may be filed (180 to 120 days before the last valid day)."""
        opens, closes = self.data["re_rating_window_days"]
        return last_valid_day - timedelta(days=opens), last_valid_day - timedelta(days=closes)

    def batch_periods(self, level: str, year: int) -> list[tuple[date, date]]:
        """(filing cut-off, decision due) of each batch a level holds in `year`, in order of cut-off."""
        periods = (self.data.get("batches") or {}).get(level, [])
        days = [(date.fromisoformat(f"{year}-{cut}"), date.fromisoformat(f"{year}-{due}")) for cut, due in periods]
        return sorted(days)


def exact_mean(totals: list[Decimal]) -> Fraction:
    """The council's score, exactly: the band is decided on this, never on a rounded figure."""
    return sum((Fraction(total) for total in totals), Fraction(0)) / len(totals)


def shown_score(score: Fraction) -> Decimal:
    """Two decimals cut (not rounded), so the figure shown never crosses into the next band."""
    return (Decimal(score.numerator) / Decimal(score.denominator)).quantize(Decimal("0.01"), rounding=ROUND_DOWN)


def mean_score(totals: list[Decimal]) -> Decimal:
    """The mean as shown and stored, two decimals."""
    return shown_score(exact_mean(totals))


@cache
def _load(code: str) -> dict[str, Any]:
    if code not in RULE_SET_CODES:
        raise KeyError(f"unknown rule set {code!r}")
    return json.loads((DATA_DIR / f"{code}.json").read_text(encoding="utf-8"))


def get_rule_set(code: str) -> RuleSet:
    """The shipped rule set called `code` (a copy, so freezing it cannot alter the cache)."""
    return RuleSet(json.loads(json.dumps(_load(code))))


def all_rule_sets() -> list[RuleSet]:
    return [get_rule_set(code) for code in RULE_SET_CODES]


def rule_set_in_force(day: date) -> RuleSet | None:
    """The rule set whose filing period holds `day`; None before OCOP's first rule set.

    Read on every draft's page and guard: the periods are compared on the cached data, and only the rule set
    found is copied.
    """
    code = next((code for code in RULE_SET_CODES if RuleSet(_load(code)).in_force_on(day)), None)
    return get_rule_set(code) if code else None


@cache
def product_catalogue() -> dict[str, Any]:
    """The six product groups and 26 product sets of the current rules."""
    return json.loads((DATA_DIR / "product-sets.json").read_text(encoding="utf-8"))
