"""Administration forms: one per intent; the choices of units, organisations and people are filled per request."""
from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..accounts.forms import EMAIL_SHAPE, LANGUAGES, new_password_fields
from ..accounts.models import AdministrativeUnit, Organisation, UnitLevel, User
from ..extensions import db
from ..forms_base import Form, select_choices
from ..labels import ROLE_LABELS
from ..reviews.models import Council, CouncilMember
from .queries import unit_tree_order

ORGANISATION_KIND_LABELS = {
    "cooperative": _l("Hợp tác xã"),
    "enterprise": _l("Doanh nghiệp"),
    "household_business": _l("Hộ kinh doanh"),
    "cooperative_group": _l("Tổ hợp tác"),
}
NONE = [SelectChoice(0, "—")]


def _email():
    return StringField(_l("Email"), validators=[Optional(), Length(max=200), EMAIL_SHAPE])


class ButtonForm(Form):
    """A button that changes something: only the CSRF token travels."""


class UserFilterForm(Form):
    """The users list's filters travel in the query string (a GET changes nothing, so no token)."""

    class Meta:
        csrf = False

    role = SelectField(_l("Vai trò"), choices=select_choices([("", _l("Tất cả")), *ROLE_LABELS.items()]))
    q = StringField(_l("Tìm theo tên"), validators=[Optional(), Length(max=120)])


class UserForm(Form):
    """A user's details and what the role binds them to (organisation for producers, unit for officers)."""

    full_name = StringField(_l("Họ và tên"), validators=[Optional(), Length(max=120)])
    email = _email()
    role = SelectField(_l("Vai trò"), choices=select_choices(ROLE_LABELS.items()), validators=[DataRequired()])
    organisation = SelectField(_l("Tổ chức (chủ thể sản xuất)"), coerce=int)
    unit = SelectField(_l("Đơn vị (cán bộ, quản trị viên)"), coerce=int)
    locale = SelectField(_l("Ngôn ngữ"), choices=LANGUAGES, validators=[DataRequired()])


class NewUserForm(UserForm):
    username = StringField(_l("Tên đăng nhập"), validators=[DataRequired(), Length(max=80)])
    new_password, confirm = new_password_fields(_l("Mật khẩu"))


class ResetPasswordForm(Form):
    new_password, confirm = new_password_fields()


class UnitForm(Form):
    code = StringField(_l("Mã đơn vị"), validators=[DataRequired(), Length(max=40)])
    name = StringField(_l("Tên đơn vị"), validators=[DataRequired(), Length(max=120)])
    level = SelectField(_l("Cấp hành chính"), validators=[DataRequired()])
    parent = SelectField(_l("Đơn vị cấp trên"), coerce=int)
    name_after_2025 = StringField(_l("Tên sau sắp xếp năm 2025"), validators=[Optional(), Length(max=120)])
    abolished_on = DateField(_l("Ngày chấm dứt hoạt động"), validators=[Optional()])


class OrganisationForm(Form):
    name = StringField(_l("Tên tổ chức"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Loại hình"), choices=select_choices(ORGANISATION_KIND_LABELS.items()),
                       validators=[DataRequired()])
    unit = SelectField(_l("Địa bàn (đơn vị hành chính)"), coerce=int)
    representative = StringField(_l("Người đại diện"), validators=[Optional(), Length(max=120)])
    address = StringField(_l("Địa chỉ"), validators=[Optional(), Length(max=255)])
    phone = StringField(_l("Điện thoại"), validators=[Optional(), Length(max=40)])
    email = _email()
    contact_public = BooleanField(_l("Công khai số điện thoại và email trên trang tra cứu"),
                                  description=_l("Người mua quét mã QR trên nhãn sẽ thấy để liên hệ."))


class CouncilForm(Form):
    unit = SelectField(_l("Đơn vị"), coerce=int)
    name = StringField(_l("Tên Hội đồng"), validators=[DataRequired(), Length(max=200)])


class CouncilMemberForm(Form):
    user = SelectField(_l("Thành viên"), coerce=int)


def unit_choices(blank: bool = True, without_council: bool = False) -> list[SelectChoice]:
    """Every unit, indented under its parent, for a select."""
    statement = db.select(AdministrativeUnit).order_by(unit_tree_order())
    if without_council:
        statement = statement.where(AdministrativeUnit.id.not_in(db.select(Council.unit_id)))
    units = db.session.scalars(statement)
    return (NONE if blank else []) + [SelectChoice(u.id, "· " * (u.path.count("/") - 2) + f"{u.name} ({u.code})")
                                       for u in units]


def organisation_choices() -> list[SelectChoice]:
    organisations = db.session.scalars(db.select(Organisation).order_by(Organisation.name))
    return NONE + [SelectChoice(o.id, f"{o.name} — {o.unit.name}") for o in organisations]


def level_choices() -> list[SelectChoice]:
    english = str(get_locale()) == "en"
    levels = db.session.scalars(db.select(UnitLevel).order_by(UnitLevel.rank))
    return [SelectChoice(level.code, level.name_en if english else level.name_vi) for level in levels]


def candidate_choices(council: Council) -> list[SelectChoice]:
    """Active council members not yet seated on this council."""
    seated = db.select(CouncilMember.user_id).filter_by(council_id=council.id)
    people = db.session.scalars(db.select(User).filter_by(role="council_member", active=True)
                                .where(User.id.not_in(seated)).order_by(User.full_name, User.username))
    return [SelectChoice(u.id, f"{u.full_name or u.username} ({u.username})") for u in people]
