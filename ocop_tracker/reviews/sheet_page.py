"""What the scores page and the self-assessment page show for a round scored on the official sheet."""
from __future__ import annotations

from flask import flash
from flask_babel import gettext as _

from ..dossiers.kept_input import refill
from ..dossiers.models import Dossier
from ..rules.rulesets import RuleSet
from ..rules.sheets import Sheet, criterion_numbers
from .models import EvaluationRound, Score
from .sheet_forms import SelfAssessmentSheetForm, SheetForm, SheetScoreForm, self_assessment_sheet_form, sheet_data
from .sheet_forms import sheet_score_form as score_form_class
from .sheet_scoring import CouncilSheet, CriterionRow, council_sheet, marks_by_criterion

SHOWN_MISSING = 12  # criteria named in the message; the page marks every one


def _sheet_form(form_class: type[SheetForm], posted: bool, kept: dict | None, stored):
    """As posted, or as a refused post left it, else from what is stored (`stored()` gives the data)."""
    if posted:
        return form_class()
    if kept is not None:
        return refill(form_class, kept)
    return form_class(formdata=None, data=stored())


def member_sheet_form(sheet: Sheet, evaluation: EvaluationRound, mine: Score | None, posted: bool,
                      kept: dict | None = None) -> SheetScoreForm:
    """The member's sheet, filled with the marks and finding they gave (none yet: empty)."""
    def stored() -> dict:
        data = sheet_data(sheet, marks_by_criterion(mine, evaluation)) if mine is not None else {}
        return data | {"rejection": SheetScoreForm.rejection_value(sheet, mine.rejection if mine else None)}
    return _sheet_form(score_form_class(sheet), posted, kept, stored)


def producer_sheet_form(sheet: Sheet, evaluation: EvaluationRound, posted: bool,
                        kept: dict | None = None) -> SelfAssessmentSheetForm:
    """The producer's self-assessment, as last saved."""
    return _sheet_form(self_assessment_sheet_form(sheet), posted, kept,
                       lambda: sheet_data(sheet, marks_by_criterion(None, evaluation)))


def flash_sheet_errors(form: SheetForm) -> None:
    """One line at the top of the page for a refused sheet: which criteria still need an option."""
    left = form.left()
    if left:
        flash(_("Phiếu chấm chưa được lưu: còn %(count)d tiêu chí chưa chọn mức (%(numbers)s). "
                "Các lựa chọn bạn đã đánh dấu vẫn được giữ nguyên.", count=len(left), numbers=criterion_numbers(left, SHOWN_MISSING)), "danger")
    else:
        flash(_("Phiếu chấm chưa được lưu: vui lòng sửa các ô được đánh dấu."), "danger")


def sheet_score_context(dossier: Dossier, evaluation: EvaluationRound, rules: RuleSet, see_all: bool) -> dict:
    """The producer's self-assessment beside the member's sheet, and the council's sheet for those who see every
    member's marks (the chair's closing view)."""
    council = council_sheet(dossier, evaluation, rules) if see_all else None
    return {"self_marks": marks_by_criterion(None, evaluation), "council": council,
            "blocked": blocked_stars(council) if council else {}, "large_spread": large_spread}


def blocked_stars(council: CouncilSheet) -> dict[str, list[int]]:
    """{criterion id: the stars whose minimum the council's option in it does not meet}."""
    blocked: dict[str, list[int]] = {}
    for star, unmet in sorted(council.blocking.items()):
        for criterion, _option in unmet:
            blocked.setdefault(criterion.id, []).append(star)
    return blocked


def large_spread(row: CriterionRow) -> bool:
    """The members are further apart than half the criterion's range: worth a word before closing."""
    return row.spread > 0 and row.spread * 2 > row.criterion.maximum
