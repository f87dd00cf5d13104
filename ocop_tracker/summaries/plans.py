"""The upgrade plan in the producer's summary: a line or two under a certified product's row.

A plan reads the dossier's rounds and its council's sheet (a few statements each), so a mail holds the plans of at
most PLAN_LIMIT dossiers, the first listed: the count of statements stays the same whatever the number of rows.
"""
from __future__ import annotations

from flask_babel import gettext as _

from ..dossiers.models import Dossier
from ..formatting import score as shown_score
from ..reviews.upgrade_plan import UpgradePlan, upgrade_plan
from ..rules.sheets import criterion_numbers

PLAN_LIMIT = 3
PLANNED_STATES = ("certified", "upgrade", "not_recognised")  # a star to climb from, or a first one to reach
NAMED = 4  # criteria named in a line; the dossier page lists them all


def plans_for(dossiers: list[Dossier]) -> dict[int, UpgradePlan]:
    """The plans of the first PLAN_LIMIT listed dossiers that may have one (the producer sees their own)."""
    chosen = [d for d in dossiers if d.state in PLANNED_STATES][:PLAN_LIMIT]
    return {d.id: plan for d in chosen if (plan := upgrade_plan(d)) is not None}


def plan_notes(plan: UpgradePlan | None) -> tuple[str, ...]:
    """The plan in words: the points and minimums to the next star, then where most points are to gain."""
    if plan is None:
        return ()
    unmet = [criterion for criterion, _option, _star in plan.unmet_minimums]
    if plan.points_to_next_band > 0:
        head = _("Lên %(star)d sao: cần thêm %(points)s điểm", star=plan.next_star,
                 points=shown_score(plan.points_to_next_band))
    else:
        head = _("Lên %(star)d sao: điểm đã đủ", star=plan.next_star)
    if unmet:
        head += _("; %(count)d yêu cầu tối thiểu chưa đạt (tiêu chí %(numbers)s)", count=len(unmet),
                  numbers=criterion_numbers(unmet, NAMED))
    gains = ", ".join(f"{criterion.number} (+{points})" for criterion, _now, _better, points in plan.best_gains[:NAMED])
    return (head + ".", _("Tăng nhiều điểm nhất: %(gains)s.", gains=gains) if gains else "")
