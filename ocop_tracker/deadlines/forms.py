"""The one deadline form: an extension, with its reason and the new due date."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, TextAreaField
from wtforms.validators import DataRequired, Length

from ..forms_base import Form
from ..text_rules import NOTE_MAX

# What the service names as missing, said on the field it belongs to.
EXTENSION_ERRORS = {
    "reason": ("reason", _l("Cần nêu lý do gia hạn.")),
    "new_due_on": ("new_due_on", _l("Hạn mới phải sau hạn hiện tại.")),
}


class ExtendDeadlineForm(Form):
    """Move an open deadline to a later day; the reason is logged in the dossier's history."""

    new_due_on = DateField(_l("Hạn mới"), validators=[DataRequired(message=_l("Cần chọn hạn mới."))])
    reason = TextAreaField(_l("Lý do gia hạn"), validators=[DataRequired(message=_l("Cần nêu lý do gia hạn.")),
                                                         Length(max=NOTE_MAX)])


def extend_form(deadline_id: int, *, posted: bool = False) -> ExtendDeadlineForm:
    """The form of one deadline, prefixed by its id so several fit on the dossier page; `posted` reads the request."""
    if posted:
        return ExtendDeadlineForm(prefix=f"deadline-{deadline_id}")
    return ExtendDeadlineForm(prefix=f"deadline-{deadline_id}", formdata=None)
