"""Document forms: one to upload a version, one for the officer's verdict on a document, one for the whole review."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, RadioField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ..forms_base import Form
from ..labels import DOCUMENT_KIND_LABELS
from ..text_rules import NOTE_MAX

# What the phone's file picker offers first (the real check is on the bytes, in the service).
ACCEPT = ".pdf,.jpg,.jpeg,.png,.webp,.docx,.xlsx,application/pdf,image/jpeg,image/png,image/webp"


class UploadForm(Form):
    """A new version of one kind of document."""

    kind = SelectField(_l("Loại tài liệu"), validators=[InputRequired()],
                       choices=[SelectChoice(kind, label) for kind, label in DOCUMENT_KIND_LABELS.items()])
    file = FileField(_l("Tệp"), validators=[FileRequired(_l("Hãy chọn tệp cần tải lên."))],
                     render_kw={"accept": ACCEPT})
    issuer = StringField(_l("Cơ quan cấp"), validators=[Optional(), Length(max=200)])
    valid_until = DateField(_l("Có hiệu lực đến"), validators=[Optional()],
                            description=_l("Để trống nếu giấy tờ không có thời hạn."))


class CheckForm(Form):
    """The reviewing officer's verdict on the current version of one document."""

    outcome = RadioField(_l("Kết quả kiểm tra"), validators=[InputRequired()], default="accepted", choices=[
        SelectChoice("accepted", _l("Đạt")), SelectChoice("needs_supplement", _l("Cần bổ sung"))])
    note = TextAreaField(_l("Ghi chú (bắt buộc khi cần bổ sung)"), validators=[Optional(), Length(max=NOTE_MAX)],
                         render_kw={"rows": 2})


def check_form(document_id: int, **kwargs) -> CheckForm:
    """The verdict form of one document; its prefix keeps field ids unique on a page of many."""
    return CheckForm(prefix=f"check-{document_id}", **kwargs)


class ReviewForm(Form):
    """The whole checklist in one request: this form's CSRF token and note, beside one verdict form per document."""

    note = TextAreaField(_l("Nhận xét chung về hồ sơ (không bắt buộc)"), validators=[Optional(), Length(max=NOTE_MAX)],
                         render_kw={"rows": 2})


def verdict_form(document_id: int, check=None) -> CheckForm:
    """One document's verdict inside the review form, which carries the CSRF token; the last check is the default."""
    data = {"outcome": check.outcome, "note": check.note} if check is not None else None
    return check_form(document_id, meta={"csrf": False}, data=data)
