"""The recognition decision form: its header; the dossiers it lists are read beside it, one outcome each."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..forms_base import Form


class DecisionForm(Form):
    number = StringField(_l("Số quyết định"), validators=[DataRequired(), Length(max=60)],
                         description=_l("Ví dụ: 1234/QĐ-UBND"))
    signed_on = DateField(_l("Ngày ký"), validators=[DataRequired()])
    signer = StringField(_l("Người ký"), validators=[DataRequired(), Length(max=120)])
    signer_title = StringField(_l("Chức vụ người ký"), validators=[Optional(), Length(max=160)],
                               description=_l("Ví dụ: KT. CHỦ TỊCH - PHÓ CHỦ TỊCH"))
    body = StringField(_l("Cơ quan ban hành"), validators=[Optional(), Length(max=200)],
                       description=_l("Như ghi trên quyết định; để trống để dùng tên đơn vị hiện nay."))


class DecisionFileForm(Form):
    file = FileField(_l("Bản quyết định đã ký (PDF)"), validators=[FileRequired()])
