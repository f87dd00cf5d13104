"""Dossier forms: one per intent, and a small CSRF-protected form for each workflow button."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    SearchField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from ..forms_base import Form, select_choices
from ..labels import STATE_LABELS
from ..query_args import DayInRange
from ..text_rules import DESCRIPTION_MAX, NOTE_MAX


class ProductForm(Form):
    """A new product and its draft dossier, or the product's details while it is being prepared."""

    name = StringField(_l("Tên sản phẩm"), validators=[DataRequired(), Length(max=200)])
    product_set = SelectField(_l("Bộ sản phẩm"), coerce=int, validators=[DataRequired()])
    description = TextAreaField(_l("Mô tả sản phẩm"), validators=[Optional(), Length(max=DESCRIPTION_MAX)],
                                description=_l("Nguyên liệu, quy trình, điểm đặc trưng của sản phẩm."))


class SelfAssessmentForm(Form):
    """The producer's own marks on parts A/B/C (maxima come from the rule set)."""

    part_a = DecimalField(_l("Phần A — Sản phẩm và sức mạnh cộng đồng"), places=2, validators=[InputRequired()])
    part_b = DecimalField(_l("Phần B — Khả năng tiếp thị"), places=2, validators=[InputRequired()])
    part_c = DecimalField(_l("Phần C — Chất lượng sản phẩm"), places=2, validators=[InputRequired()])


class VietGapForm(Form):
    certificate_no = StringField(_l("Số giấy chứng nhận"), validators=[DataRequired(), Length(max=80)])
    issuer = StringField(_l("Tổ chức chứng nhận"), validators=[DataRequired(), Length(max=200)])
    issued_on = DateField(_l("Ngày cấp"), validators=[DataRequired()])
    valid_until = DateField(_l("Có hiệu lực đến"), validators=[DataRequired()])


class VersionField(IntegerField):
    """The dossier version the page showed. A missing or garbled one reads as 0, a version no dossier has, so the
    service refuses it as a stale page and says so (a hidden field's own error would show nowhere)."""

    widget = HiddenInput()

    def process_formdata(self, valuelist) -> None:
        raw = valuelist[0] if valuelist else ""
        self.data = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 9 else 0


class EventForm(Form):
    """A workflow button: the version the user saw, and an optional comment."""

    version = VersionField()
    comment = TextAreaField(_l("Ghi chú"), validators=[Optional(), Length(max=NOTE_MAX)])


class ReceiptForm(EventForm):
    """Forward or verify VietGAP, with the real receipt date of a paper dossier when it is not today."""

    received_on = DateField(_l("Ngày tiếp nhận hồ sơ giấy"), validators=[Optional()],
                            description=_l("Để trống nếu là hôm nay; nếu khác hôm nay, ghi lý do vào ghi chú."))


class ForwardForm(ReceiptForm):
    """Forward; past documents flagged "needs supplement" only with an explicit override and its reason."""

    override = BooleanField(_l("Vẫn chuyển hồ sơ dù còn tài liệu cần bổ sung (ghi lý do vào ô ghi chú)"))


class ReturnForm(ReceiptForm):
    comment = TextAreaField(_l("Lý do trả lại (nêu rõ nội dung cần bổ sung)"),
                            validators=[DataRequired(), Length(max=NOTE_MAX)])


class VietGapCheckForm(ReceiptForm):
    comment = TextAreaField(_l("Ghi chú"), validators=[Optional(), Length(max=NOTE_MAX)],
                            description=_l("Bắt buộc khi chủ thể không có giấy chứng nhận VietGAP còn hiệu lực: "
                                           "VietGAP được cộng điểm, không bắt buộc."))


class AdmitForm(EventForm):
    """The provincial office admits the file to an evaluation batch (choices: the province's open batches)."""

    batch_id = SelectField(_l("Đợt đánh giá"), coerce=int, validators=[Optional()])


class RecogniseForm(EventForm):
    score = DecimalField(_l("Điểm của Hội đồng Trung ương"), places=2,
                         validators=[InputRequired(), NumberRange(min=0, max=100)])
    decision_number = StringField(_l("Số quyết định của Bộ (từ 90 điểm)"), validators=[Optional(), Length(max=60)])
    decision_signed_on = DateField(_l("Ngày ký quyết định của Bộ"), validators=[Optional()])
    decision_signer = StringField(_l("Người ký quyết định của Bộ"), validators=[Optional(), Length(max=120)])


class RevokeForm(EventForm):
    grounds = TextAreaField(_l("Căn cứ thu hồi"), validators=[DataRequired(), Length(max=NOTE_MAX)])


EVENT_FORMS: dict[str, type[EventForm]] = {
    "verify_vietgap": VietGapCheckForm, "forward": ForwardForm, "return": ReturnForm, "admit": AdmitForm,
    "recognise": RecogniseForm, "revoke": RevokeForm,
}


def event_form(event: str, **kwargs) -> EventForm:
    return EVENT_FORMS.get(event, EventForm)(prefix=event, **kwargs)


class QueueFilterForm(Form):
    """Filters of the dossier list and work queue (a GET form: no CSRF, changes nothing)."""

    class Meta:
        csrf = False

    state = SelectField(_l("Trạng thái"), choices=select_choices([("", _l("Mọi trạng thái")), *STATE_LABELS.items()]),
                        validators=[Optional()])
    due = SelectField(_l("Thời hạn"), validators=[Optional()], choices=select_choices([
        ("", _l("Tất cả")), ("awaiting", _l("Chờ tôi xử lý")), ("due_soon", _l("Sắp đến hạn")),
        ("overdue", _l("Quá hạn"))]))
    product_set = SelectField(_l("Bộ sản phẩm"), coerce=int, validators=[Optional()])
    unit = SelectField(_l("Đơn vị"), coerce=int, validators=[Optional()])
    received_from = DateField(_l("Tiếp nhận từ ngày"), validators=[Optional(), DayInRange()])
    received_to = DateField(_l("đến ngày"), validators=[Optional(), DayInRange()])
    q = SearchField(_l("Tìm hồ sơ"), validators=[Optional(), Length(max=200)],
                    description=_l("Sản phẩm, chủ thể, mã hồ sơ (#12), mã giấy chứng nhận"))
    sort = SelectField(_l("Sắp xếp"), default="updated", validators=[Optional()], choices=select_choices([
        ("updated", _l("Thay đổi gần nhất")), ("due", _l("Hạn xử lý gần nhất")),
        ("received", _l("Tiếp nhận sớm nhất"))]))
    # "", "me", "none" and the ids of the user's unit's officers (page.filter_choices).
    assignee = SelectField(_l("Cán bộ xử lý"), default="", validators=[Optional()])


class AssignmentForm(Form):
    """Hand the dossier to an officer of the unit that must act on it (0: to nobody), or take it."""

    assignee = SelectField(_l("Giao cho"), coerce=int, validators=[Optional()])
    assign = SubmitField(_l("Lưu phân công"))
    take = SubmitField(_l("Tôi nhận xử lý"))
