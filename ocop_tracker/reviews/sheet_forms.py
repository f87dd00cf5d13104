"""Forms built from an official scoring sheet: one radio per criterion (its options) and an optional note.

A council member's sheet must be whole; the producer's self-assessment (Mẫu 02, part III) may be saved in part,
a draft finished later on a phone. Field names are made from the criterion ids ("01-1.1" → "c_01_1_1").
"""
from __future__ import annotations

import re
from functools import cache

from flask_babel import lazy_gettext as _l
from wtforms import Field, RadioField, SelectField, StringField
from wtforms.validators import InputRequired, Length, Optional

from ..forms_base import Form, select_choices
from ..rules.sheets import Criterion, Part, Sheet

NOTE_LIMIT = 500
CHOOSE_ONE = _l("Chọn một mức cho tiêu chí này.")


def _name(prefix: str, criterion: Criterion) -> str:
    return prefix + re.sub(r"[^0-9A-Za-z]", "_", criterion.id)


def option_field(criterion: Criterion) -> str:
    return _name("c_", criterion)


def note_field(criterion: Criterion) -> str:
    return _name("n_", criterion)


class SheetForm(Form):
    """What both sheet forms read back: the ticked options, the notes, the points and what is left."""

    sheet: Sheet | None = None  # set on each built class

    def option_of(self, criterion: Criterion) -> Field:
        return self[option_field(criterion)]

    def note_of(self, criterion: Criterion) -> Field:
        return self[note_field(criterion)]

    def ticked(self, criterion: Criterion):
        """The option ticked for the criterion (None when none, or one not on the sheet)."""
        value = self.option_of(criterion).data
        return next((o for o in criterion.options if o.id == value), None)

    @property
    def criteria(self) -> dict[str, str]:
        """{criterion id: option id} for the criteria ticked, as the services take them."""
        assert self.sheet is not None
        return {c.id: option.id for c in self.sheet.criteria if (option := self.ticked(c)) is not None}

    @property
    def notes(self) -> dict[str, str]:
        assert self.sheet is not None
        return {c.id: note.strip() for c in self.sheet.criteria if (note := self.note_of(c).data or "").strip()}

    def part_total(self, part: Part) -> int:
        return sum(option.points for c in part.criteria if (option := self.ticked(c)) is not None)

    @property
    def total(self) -> int:
        assert self.sheet is not None
        return sum(self.part_total(part) for part in self.sheet.parts)

    def left(self, part: Part | None = None) -> list[Criterion]:
        """The criteria with no option ticked, in the sheet's order (of one part, or of the whole sheet)."""
        assert self.sheet is not None
        criteria = part.criteria if part is not None else self.sheet.criteria
        return [c for c in criteria if self.ticked(c) is None]


class SheetScoreForm(SheetForm):
    """A council member's sheet: every criterion ticked, and an optional finding that a rejection condition applies."""

    rejection = SelectField(_l("Hồ sơ thuộc trường hợp bị loại"), default="", validate_choice=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        conditions = self.sheet.rejection_conditions if self.sheet else ()
        self.rejection.choices = select_choices(
            [("", _l("Không thuộc trường hợp bị loại")), *((str(i), text) for i, text in enumerate(conditions, 1))])

    @property
    def rejection_text(self) -> str | None:
        """The condition chosen, in the sheet's words; None for none."""
        value = self.rejection.data or ""
        conditions = self.sheet.rejection_conditions if self.sheet else ()
        return conditions[int(value) - 1] if value.isdigit() and 0 < int(value) <= len(conditions) else None

    @staticmethod
    def rejection_value(sheet: Sheet, text: str | None) -> str:
        """The choice that stands for a stored finding ("" for none, or one no longer on the sheet)."""
        return str(sheet.rejection_conditions.index(text) + 1) if text in sheet.rejection_conditions else ""


class SelfAssessmentSheetForm(SheetForm):
    """The producer's self-assessment on the sheet: any number of criteria, saved as a draft."""


def _build(base: type[SheetForm], sheet: Sheet, required: bool) -> type[SheetForm]:
    fields: dict[str, object] = {"sheet": sheet}
    for criterion in sheet.criteria:
        checks = [InputRequired(message=CHOOSE_ONE)] if required else [Optional()]
        fields[option_field(criterion)] = RadioField(
            f"{criterion.number} {criterion.title}", choices=select_choices((o.id, o.text) for o in criterion.options),
            validators=checks)
        fields[note_field(criterion)] = StringField(_l("Ghi chú"), validators=[Optional(), Length(max=NOTE_LIMIT)])
    return type(f"{base.__name__}{sheet.number:02d}", (base,), fields)


@cache
def sheet_score_form(sheet: Sheet) -> type[SheetScoreForm]:
    """The council member's form for this sheet (one class per sheet, built once)."""
    return _build(SheetScoreForm, sheet, required=True)


@cache
def self_assessment_sheet_form(sheet: Sheet) -> type[SelfAssessmentSheetForm]:
    return _build(SelfAssessmentSheetForm, sheet, required=False)


def sheet_data(sheet: Sheet, marks: dict) -> dict[str, str]:
    """A form's starting data from stored marks ({criterion id: mark with option_id and note})."""
    data = {}
    for criterion in sheet.criteria:
        mark = marks.get(criterion.id)
        if mark is not None:
            data[option_field(criterion)] = mark.option_id
            data[note_field(criterion)] = mark.note or ""
    return data
