"""What stands between a product and its next star, read from the council's sheet of its last rated round."""
from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from ..dossiers.models import Dossier
from ..dossiers.placement import dossier_rules
from ..rules.rulesets import LOWEST_RECOGNISED_STAR, get_rule_set
from ..rules.sheets import Criterion, Option
from .counting import closing_scores
from .services import dossier_rounds
from .sheet_scoring import TOP_STAR, CouncilSheet, CriterionRow, meets, round_sheet, sheet_of

BEST_GAINS = 5
CENT = Decimal("0.01")


@dataclass(frozen=True)
class UpgradePlan:
    round_number: int
    star: int
    score: Decimal | None  # the council's mean as shown (two decimals cut)
    next_star: int
    points_to_next_band: Decimal  # 0 when the mean is already in the next star's band
    unmet_minimums: list[tuple[Criterion, Option, int]]  # for the next star and every lower one
    best_gains: list[tuple[Criterion, Option | None, Option, int]]  # top 5 by points


def _last_rated_sheet(dossier: Dossier) -> tuple[int, int | None, Decimal | None, CouncilSheet] | None:
    """The newest closed round whose council scored on the sheet: its number, star, score and council sheet."""
    for evaluation in reversed(dossier_rounds(dossier)):
        if evaluation.closed_at is None:
            continue
        sheet = round_sheet(evaluation, dossier)
        if sheet is None:
            continue
        rules = get_rule_set(evaluation.rule_set) if evaluation.rule_set else dossier_rules(dossier)
        found = sheet_of(sheet, evaluation, closing_scores(evaluation), rules)
        if found.minimums_checked:
            star = evaluation.star if evaluation.star is not None else found.proposed_star
            return evaluation.number, star, evaluation.council_score, found
    return None


def _gain(row: CriterionRow) -> tuple[Criterion, Option | None, Option, int] | None:
    """The most points a criterion still offers over the council's option (options of the same case in set 26)."""
    now = row.council_option
    case = now.case if now is not None else None
    better = [o for o in row.criterion.options if o.case == case and o.points > (now.points if now else 0)]
    if not better:
        return None
    best = max(better, key=lambda option: option.points)
    return row.criterion, now, best, best.points - (now.points if now else 0)


def upgrade_plan(dossier: Dossier) -> UpgradePlan | None:
    """The next star's missing points and minimums, and where most points are to gain; None when no closed round
    was scored on a sheet, or at 5★."""
    found = _last_rated_sheet(dossier)
    if found is None:
        return None
    number, star, shown, sheet = found
    if star is None or star >= TOP_STAR:
        return None
    next_star = max(star + 1, LOWEST_RECOGNISED_STAR)
    rules = dossier_rules(dossier)
    floor = rules.band_floor(next_star) or 0
    missing = max(0, floor - (sheet.score or 0))
    chosen = sheet.council_options()
    unmet = [(criterion, option, level) for level in range(LOWEST_RECOGNISED_STAR, next_star + 1)
             for criterion, option in sheet.sheet.minimums(level)
             if not meets(criterion, chosen.get(criterion.id), option)]
    gains = [gain for gain in (_gain(row) for row in sheet.rows) if gain is not None]
    gains.sort(key=lambda gain: -gain[3])
    return UpgradePlan(round_number=number, star=star, score=shown, next_star=next_star,
                       points_to_next_band=(Decimal(math.ceil(missing * 100)) / 100).quantize(CENT),
                       unmet_minimums=unmet, best_gains=gains[:BEST_GAINS])
