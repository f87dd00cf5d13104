"""The upgrade plan in the producer's summary: a line or two under a certified product's row.

A plan reads the dossier's rounds and its council's sheet (a few statements each), so a mail holds the plans of at
most PLAN_LIMIT dossiers, the first listed: the count of statements stays the same whatever the number of rows.
"""
from __future__ import annotations

from collections import defaultdict

from flask_babel import gettext as _

from ..dossiers.models import Dossier
from ..extensions import db
from ..formatting import score as shown_score
from ..reviews.models import EvaluationRound
from ..reviews.sheet_scoring import round_sheet
from ..reviews.upgrade_plan import UpgradePlan, upgrade_plan
from ..rules.sheets import criterion_numbers

PLAN_LIMIT = 3
PLANNED_STATES = ("certified", "upgrade", "not_recognised")  # a star to climb from, or a first one to reach
NAMED = 4  # criteria named in a line; the dossier page lists them all


def plans_for_lists(lists: list[list[Dossier]]) -> dict[int, UpgradePlan]:
    """The plans of the first PLAN_LIMIT dossiers of each list that may have one (a producer sees their own; a
    list per organisation of the batch). The closed rounds of all the chosen dossiers are read in one statement
    first, so that a dossier none of whose closed rounds was scored on a sheet (the district era:
    most certificates of 2024–2025) is not asked for a plan, which would read its rounds again to say None."""
    chosen = [d for dossiers in lists for d in [d for d in dossiers if d.state in PLANNED_STATES][:PLAN_LIMIT]]
    if not chosen:
        return {}
    closed: dict[int, list[EvaluationRound]] = defaultdict(list)
    for evaluation in db.session.scalars(db.select(EvaluationRound).where(
            EvaluationRound.dossier_id.in_([d.id for d in chosen]), EvaluationRound.closed_at.is_not(None))):
        closed[evaluation.dossier_id].append(evaluation)
    rated = [d for d in chosen if any(round_sheet(evaluation, d) is not None for evaluation in closed[d.id])]
    return {d.id: plan for d in rated if (plan := upgrade_plan(d)) is not None}


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
