"""Forms of the accounts blueprint."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length

LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]


class LoginForm(FlaskForm):
    username = StringField(_l("Tên đăng nhập"), validators=[DataRequired(), Length(max=80)])
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(), Length(max=200)])


class LogoutForm(FlaskForm):
    """Sign-out is a POST with a CSRF token, never a GET."""


class LanguageForm(FlaskForm):
    locale = SelectField(_l("Ngôn ngữ"), choices=LANGUAGES, validators=[DataRequired()])
    next = HiddenField()
