"""Forms of the accounts blueprint, and what a refused account change says to the reader."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp

from ..forms_base import Form, select_choices
from ..refusals import speaks
from .services import MIN_PASSWORD_LENGTH, AccountError

LANGUAGES = select_choices([("vi", "Tiếng Việt"), ("en", "English")])
# A light shape check: the email_validator package is not a dependency, and a typo is all we guard against.
EMAIL_SHAPE = Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Địa chỉ email không hợp lệ."))


class LoginForm(Form):
    username = StringField(_l("Tên đăng nhập"), validators=[DataRequired(), Length(max=80)])
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(), Length(max=200)])


class LogoutForm(Form):
    """Sign-out is a POST with a CSRF token, never a GET."""


class LanguageForm(Form):
    locale = SelectField(_l("Ngôn ngữ"), choices=LANGUAGES, validators=[DataRequired()])
    next = HiddenField()


class ProfileForm(Form):
    """A user's own name, email, language and how they want their mail."""

    full_name = StringField(_l("Họ và tên"), validators=[Optional(), Length(max=120)])
    email = StringField(_l("Email"), validators=[Optional(), Length(max=200), EMAIL_SHAPE])
    locale = SelectField(_l("Ngôn ngữ"), choices=LANGUAGES, validators=[DataRequired()])
    mail_preference = SelectField(_l("Nhận thư"), choices=select_choices([
        ("immediate", _l("Thư báo ngay mỗi khi hồ sơ có thay đổi, và thư tóm tắt")),
        ("summary", _l("Chỉ thư tóm tắt định kỳ"))]), default="immediate",
        description=_l("Thư nhắc hạn vẫn được gửi dù bạn chọn cách nào."))


NEW_PASSWORD_LABEL = _l("Mật khẩu mới")


def new_password_fields(label=NEW_PASSWORD_LABEL):
    """A new password and its confirmation, as a pair of fields for a form class."""
    password = PasswordField(label, validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)],
                             description=_l("Ít nhất 8 ký tự; không dùng mật khẩu phổ biến, tên đăng nhập "
                                            "hay chữ “OCOP”."))
    confirm = PasswordField(_l("Nhập lại mật khẩu mới"),
                            validators=[DataRequired(), EqualTo("new_password", _l("Hai mật khẩu không khớp."))])
    return password, confirm


class PasswordForm(Form):
    """A user changes their own password; the current one proves it is them."""

    current_password = PasswordField(_l("Mật khẩu hiện tại"), validators=[DataRequired(), Length(max=200)])
    new_password, confirm = new_password_fields()


class ForgotPasswordForm(Form):
    """Someone who forgot their password names the account: its username or its email address."""

    identifier = StringField(_l("Tên đăng nhập hoặc email"), validators=[DataRequired(), Length(max=200)])


class ResetPasswordForm(Form):
    """The new password, chosen through a mailed link (the link proves who it is)."""

    new_password, confirm = new_password_fields()


ACCOUNT_ERROR_MESSAGES = {
    "unknown_role": _l("Vai trò không hợp lệ."),
    "producer_needs_organisation": _l("Chủ thể sản xuất phải thuộc một tổ chức."),
    "officer_needs_unit": _l("Cán bộ thẩm định và quản trị viên phải thuộc một đơn vị hành chính."),
    "password_too_short": _l("Mật khẩu cần ít nhất 8 ký tự."),
    "password_has_username": _l("Mật khẩu không được chứa tên đăng nhập."),
    "password_has_service_name": _l("Mật khẩu không được chứa chữ “OCOP”."),
    "password_repeated": _l("Mật khẩu không được chỉ là một ký tự hay một nhóm ký tự lặp lại "
                            "(như aaaaaaaa, abababab)."),
    "password_sequence": _l("Mật khẩu không được là một dãy ký tự liên tiếp (như 12345678, abcdefgh)."),
    "password_common": _l("Mật khẩu này nằm trong danh sách mật khẩu phổ biến, dễ bị đoán; hãy chọn mật khẩu khác."),
    "unknown_locale": _l("Ngôn ngữ không hợp lệ."),
    "unknown_mail_preference": _l("Cách nhận thư không hợp lệ."),
    "username_required": _l("Cần nhập tên đăng nhập."),
    "username_taken": _l("Tên đăng nhập %(username)s đã có người dùng."),
    "wrong_password": _l("Mật khẩu hiện tại không đúng."),
    "own_account": _l("Không thể đổi vai trò, đặt lại mật khẩu hay khoá tài khoản của chính mình tại đây; "
                      "hãy dùng trang Tài khoản của tôi."),
    "code_required": _l("Cần nhập mã đơn vị."),
    "unit_code_taken": _l("Mã đơn vị %(unit)s đã được dùng."),
    "unknown_level": _l("Cấp hành chính không hợp lệ."),
    "unit_cycle": _l("Một đơn vị không thể nằm dưới chính nó hoặc dưới đơn vị trực thuộc nó."),
    "unit_level_order": _l("Đơn vị cấp trên phải thuộc cấp hành chính cao hơn."),
    "unknown_kind": _l("Loại hình tổ chức không hợp lệ."),
    "name_required": _l("Cần nhập tên."),
    "council_exists": _l("Đơn vị này đã có Hội đồng đánh giá."),
    "not_council_member": _l("Chỉ tài khoản Thành viên Hội đồng đang hoạt động mới được thêm vào Hội đồng."),
    "already_member": _l("Người này đã là thành viên của Hội đồng."),
    "chair_removal": _l("Hãy chọn Chủ tịch khác trước khi bỏ Chủ tịch hiện tại khỏi Hội đồng."),
}


@speaks(AccountError)
def account_error_message(error: AccountError) -> str:
    """The refusal in the reader's language (the exception's own text is English, for logs and the CLI)."""
    message = ACCOUNT_ERROR_MESSAGES.get(error.code)
    if message is None:
        return _("Không thể lưu thay đổi.")
    return str(message) % error.params
