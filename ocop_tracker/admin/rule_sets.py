"""The rule sets as administrators read them: period, levels and limits (read-only: they ship as data)."""
from __future__ import annotations

from datetime import date

from flask import render_template
from flask_babel import format_date, get_locale
from flask_babel import lazy_gettext as _l

from ..clock import today
from ..rules.rulesets import RuleSet, all_rule_sets
from .views import bp

COUNCIL_LABELS = {
    "district": _l("Hội đồng đánh giá cấp huyện"),
    "province": _l("Hội đồng đánh giá cấp tỉnh"),
    "central": _l("Hội đồng đánh giá cấp Trung ương"),
}
ANY_YEAR = 2024  # batch periods are a day and month; a leap year takes any of them


def _language() -> str:
    return "en" if str(get_locale()).startswith("en") else "vi"


def _day_month(value: date) -> str:
    return format_date(value, "d MMM" if _language() == "en" else "dd/MM")


def batch_calendar(rules: RuleSet) -> list[tuple[str, list[tuple[str, str]]]]:
    """Each level's batches as (filing cut-off, decision due), day and month only."""
    return [(level, [(_day_month(cut), _day_month(due)) for cut, due in rules.batch_periods(level, ANY_YEAR)])
            for level in rules.data.get("batches") or {}]


@bp.get("/rule-sets")
def rule_sets():
    return render_template("admin/rule_sets.html", rule_sets=all_rule_sets(), today=today(), language=_language(),
                           councils=COUNCIL_LABELS, batch_calendar=batch_calendar)
