"""Helpers of the sheet page tests: a browser per user, the sheet of a dossier's round, a posted sheet."""
from __future__ import annotations

import re

from ocop_tracker.dossiers.models import Dossier
from ocop_tracker.reviews.services import current_round
from ocop_tracker.reviews.sheet_forms import note_field, option_field
from ocop_tracker.reviews.sheet_scoring import round_sheet
from ocop_tracker.rules.sheets import Criterion, Option, Sheet

from ..factories import PASSWORD


def signed_in(app, username: str):
    browser = app.test_client()
    assert browser.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302
    return browser


def sheet_of(dossier: Dossier) -> Sheet:
    sheet = round_sheet(current_round(dossier), dossier)
    assert sheet is not None
    return sheet


def lowest(criterion: Criterion) -> Option:
    return min(criterion.options, key=lambda o: o.points)


def highest(criterion: Criterion) -> Option:
    return max(criterion.options, key=lambda o: o.points)


def middle(criterion: Criterion) -> Option:
    """The middle option by points: a whole sheet of them scores 64 on the tea sheet (3★)."""
    return sorted(criterion.options, key=lambda o: o.points)[len(criterion.options) // 2]


def posted(choices: dict[Criterion, Option], notes: dict[Criterion, str] | None = None, **extra) -> dict:
    """The form a browser posts for these ticks."""
    data = {option_field(c): o.id for c, o in choices.items()}
    data.update({note_field(c): text for c, text in (notes or {}).items()})
    data.update(extra)
    return data


def every(sheet: Sheet, pick=highest, *, but: dict[Criterion, Option] | None = None) -> dict[Criterion, Option]:
    """An option for every criterion of the sheet (`pick` of each, some set by hand)."""
    return {c: (but or {}).get(c) or pick(c) for c in sheet.criteria}


def checked(page: str, option: Option) -> bool:
    """Whether the page renders the option's radio as ticked."""
    found = re.search(rf'<input[^>]*value="{re.escape(option.id)}"[^>]*>', page)
    assert found, option.id
    return " checked" in found.group(0)


def three_stars(sheet: Sheet) -> dict[Criterion, Option]:
    """The middle options, raised to every 3★ minimum: a 3★ sheet in the 50–70 band that misses 4★ minimums."""
    ticks = every(sheet, middle)
    for criterion, minimum in sheet.minimums(3):
        if ticks[criterion].points < minimum.points:
            ticks[criterion] = minimum
    return ticks


def rated(world, dossier, ticks: dict[Criterion, Option]) -> None:
    """The three members of the provincial council tick the same options; the chair closes the rating."""
    from ocop_tracker.reviews.services import score_dossier

    from ..factories import fire
    for who in ("chair", "member", "member3"):
        score_dossier(dossier, actor=world[who], criteria={c.id: o.id for c, o in ticks.items()})
    fire(world, dossier, "close_rating", "chair")
