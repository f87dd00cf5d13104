"""Ticks that add up to given parts: how the demo and the tests turn the totals they were written with into sheets.

Each part is filled exactly (one option per criterion) while meeting the minimums up to `meeting` stars where the
part's points allow; a criterion named in `short_of` is ticked below its minimum for that star instead.
"""
from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from ..rules.sheets import Criterion, Option, Sheet


def _floor(criterion: Criterion, meeting: int) -> int:
    """The points of the option the minimums up to `meeting` stars ask of this criterion (0 when none)."""
    marked = [option.points for option in criterion.options if option.min_star and option.min_star <= meeting]
    return max(marked, default=0)


def _choices(criterion: Criterion, meeting: int, short_of: dict[str, int]) -> list[Option]:
    if criterion.id in short_of:
        below = _floor(criterion, short_of[criterion.id])
        return [option for option in criterion.options if option.points < below]
    floor = _floor(criterion, meeting)
    return [option for option in criterion.options if option.points >= floor]


def _fill(criteria: tuple[Criterion, ...], target: int, meeting: int, short_of: dict[str, int]) -> list[Option] | None:
    """One option per criterion summing to `target` (the first found, higher options tried first), or None."""
    reachable: list[dict[int, list[Option]]] = [{0: []}]
    for criterion in criteria:
        step: dict[int, list[Option]] = {}
        options = sorted(_choices(criterion, meeting, short_of), key=lambda option: -option.points)
        for total, picked in reachable[-1].items():
            for option in options:
                if total + option.points <= target:
                    step.setdefault(total + option.points, [*picked, option])
        reachable.append(step)
    return reachable[-1].get(target)


def ticks_for_parts(sheet: Sheet, parts: Mapping[str, int | Decimal | str], *, meeting: int = 5,
                    short_of: dict[str, int] | None = None) -> dict[str, str]:
    """{criterion id: option id} whose parts are exactly `parts` (whole points); ValueError when no ticks can."""
    ticks: dict[str, str] = {}
    for part in sheet.parts:
        target = Decimal(str(parts[part.code]))
        if target != target.to_integral_value():
            raise ValueError(f"part {part.code}: the sheet gives whole points, not {target}")
        picked = next((found for level in range(meeting, 1, -1)
                       if (found := _fill(part.criteria, int(target), level, short_of or {})) is not None), None)
        if picked is None:
            raise ValueError(f"part {part.code}: no ticks add up to {target}")
        ticks.update({criterion.id: option.id for criterion, option in zip(part.criteria, picked, strict=True)})
    return ticks
