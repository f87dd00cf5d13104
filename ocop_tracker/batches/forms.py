"""Batch forms: one to open a batch, one button to close it."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, StringField, ValidationError
from wtforms.validators import DataRequired, Length

from ..accounts.models import AdministrativeUnit
from ..forms_base import Form
from .services import batch_name_taken


class OpenBatchForm(Form):
    """The service checks the same rules; the form says them beside the field before anything is tried."""

    name = StringField(_l("Tên đợt"), validators=[DataRequired(), Length(max=120)])
    filing_cutoff = DateField(_l("Hạn nộp hồ sơ"), validators=[DataRequired()])
    decision_due = DateField(_l("Hạn quyết định công nhận"), validators=[DataRequired()])

    def __init__(self, unit: AdministrativeUnit, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._unit = unit

    def validate_name(self, field) -> None:
        if batch_name_taken(self._unit, field.data):
            raise ValidationError(_l("Tỉnh đã có một đợt đánh giá mang tên này."))

    def validate_filing_cutoff(self, field) -> None:
        if field.data and self.decision_due.data and field.data > self.decision_due.data:
            raise ValidationError(_l("Hạn nộp hồ sơ không được sau hạn quyết định công nhận."))


class CloseBatchForm(Form):
    """A button that closes a batch: only the CSRF token travels."""
