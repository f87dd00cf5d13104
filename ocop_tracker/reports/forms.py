"""Filters of the dashboard and its refresh button; the work queue's filters read again for its exports."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict
from wtforms import DateField, SelectField
from wtforms.validators import Optional, ValidationError

from ..accounts.models import User
from ..dossiers.forms import QueueFilterForm
from ..dossiers.page import filter_choices
from ..forms_base import Form
from ..query_args import DayInRange
from .queries import ReportFilters


class ReportFilterForm(Form):
    """The dashboard's period and unit; changes nothing, so a GET form without CSRF."""

    class Meta:
        csrf = False

    date_from = DateField(_l("Từ ngày"), validators=[Optional(), DayInRange()])
    date_to = DateField(_l("Đến ngày"), validators=[Optional(), DayInRange()])
    unit = SelectField(_l("Đơn vị"), coerce=int, validators=[Optional()])

    def validate_date_to(self, field) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(str(_l("Ngày kết thúc phải sau ngày bắt đầu.")))


class RefreshForm(Form):
    """The dashboard's "fresh figures now" button: only the CSRF token travels (the filters ride in its URL)."""


def report_filters(args: MultiDict, user: User) -> tuple[ReportFilterForm, ReportFilters]:
    """The form and the filters it gives; invalid input gives no filter at all (the form shows why)."""
    form = ReportFilterForm(args)
    queue_form = QueueFilterForm()
    filter_choices(queue_form, user)  # the same units as the work queue: the user's own unit and below
    form.unit.choices = queue_form.unit.choices
    if not form.validate():
        return form, ReportFilters()
    return form, ReportFilters(form.date_from.data, form.date_to.data, form.unit.data or None)
