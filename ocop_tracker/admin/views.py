"""Administration: users, units, organisations and councils (administrators only)."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.forms import account_error_message  # noqa: F401  registers how a page says an account refusal
from ..accounts.models import AdministrativeUnit, Organisation, User
from ..accounts.services import add_user, edit_user, reset_password, set_user_active
from ..commit_point import saved
from ..extensions import db
from ..query_args import id_arg, page_arg, search_arg
from .forms import (
    ORGANISATION_KIND_LABELS,
    ButtonForm,
    NewUserForm,
    OrganisationForm,
    ResetPasswordForm,
    UnitForm,
    UserFilterForm,
    UserForm,
    level_choices,
    organisation_choices,
    unit_choices,
)
from .permissions import can_administer
from .queries import directory_counts, organisations_statement, units_statement, users_statement
from .services import save_organisation, save_unit

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
def require_admin():
    if not can_administer(current_user):
        abort(404)


def paginated(statement):
    """One page of a list that can grow; ?page= picks it."""
    return db.paginate(statement, page=page_arg(), per_page=current_app.config.get("ADMIN_PER_PAGE", 25),
                       error_out=False)


def form_page(template: str, **context):
    """The form again: 422 after a refused POST, so the status says nothing was saved."""
    return render_template(template, **context), 422 if request.method == "POST" else 200


def get_or_none(model, ident: int | None):
    return db.session.get(model, ident) if ident else None


def _data(obj, *names: str, **extra) -> dict:
    """A form's starting values; ids of related rows are given explicitly (obj= would hand over the objects)."""
    return {name: getattr(obj, name) for name in names} | extra


@bp.get("/")
def index():
    return render_template("admin/index.html", counts=directory_counts())


@bp.get("/users")
def users():
    form = UserFilterForm(request.args)
    statement = users_statement(form.role.data, form.q.data) if form.validate() else users_statement(None, None)
    return render_template("admin/users.html", form=form, page=paginated(statement))


def _bind_choices(form):
    form.organisation.choices = organisation_choices()
    form.unit.choices = unit_choices()
    return form


def _binding(form) -> dict:
    return {"role": form.role.data, "organisation": get_or_none(Organisation, form.organisation.data),
            "unit": get_or_none(AdministrativeUnit, form.unit.data), "locale": form.locale.data,
            "full_name": form.full_name.data or "", "email": form.email.data or None}


@bp.route("/users/new", methods=["GET", "POST"])
def new_user():
    form = _bind_choices(NewUserForm())
    if form.validate_on_submit() and saved(
            lambda: add_user(actor=current_user, username=form.username.data, password=form.new_password.data,
                             **_binding(form)),
            _("Đã tạo tài khoản %(username)s.", username=form.username.data.strip()), unseen=True) is None:
        return redirect(url_for(".users"))
    return form_page("admin/user_new.html", form=form)


def _user_page(user: User, form=None, password_form=None):
    form = form or _bind_choices(UserForm(data=_data(user, "full_name", "email", "role", "locale",
                                                     organisation=user.organisation_id or 0,
                                                     unit=user.unit_id or 0)))
    return form_page("admin/user.html", user=user, form=form,
                     password_form=password_form or ResetPasswordForm(formdata=None))


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user(user_id: int):
    user = db.get_or_404(User, user_id)
    if request.method == "GET":
        return _user_page(user)
    form = _bind_choices(UserForm())
    if form.validate_on_submit() and saved(lambda: edit_user(user, actor=current_user, **_binding(form)),
                                           _("Đã lưu tài khoản %(username)s.", username=user.username),
                                           unseen=True) is None:
        return redirect(url_for(".user", user_id=user_id))
    return _user_page(user, form=form)


@bp.post("/users/<int:user_id>/password")
def user_password(user_id: int):
    user = db.get_or_404(User, user_id)
    form = ResetPasswordForm()
    if form.validate_on_submit() and saved(
            lambda: reset_password(user, actor=current_user, password=form.new_password.data),
            _("Đã đặt lại mật khẩu; %(username)s đã bị đăng xuất khỏi mọi thiết bị.", username=user.username),
            unseen=True) is None:
        return redirect(url_for(".user", user_id=user_id))
    return _user_page(user, password_form=form)


@bp.post("/users/<int:user_id>/deactivate")
def deactivate_user(user_id: int):
    return _set_active(user_id, False, _("Đã khoá tài khoản; người dùng đã bị đăng xuất."))


@bp.post("/users/<int:user_id>/reactivate")
def reactivate_user(user_id: int):
    return _set_active(user_id, True, _("Đã mở lại tài khoản."))


def _set_active(user_id: int, active: bool, success: str):
    user = db.get_or_404(User, user_id)
    if ButtonForm().validate_on_submit():
        saved(lambda: set_user_active(user, active, actor=current_user), success, unseen=True)
    return redirect(url_for(".user", user_id=user_id))


@bp.get("/units")
def units():
    search = search_arg()
    levels = {choice.value: choice.label for choice in level_choices()}
    return render_template("admin/units.html", page=paginated(units_statement(search)), q=search,
                           levels=levels, lowest_level=list(levels)[-1] if levels else None)


@bp.route("/units/new", methods=["GET", "POST"])
@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
def unit(unit_id: int | None = None):
    unit = db.get_or_404(AdministrativeUnit, unit_id) if unit_id else None
    start = _data(unit, "code", "name", "level", "name_after_2025", "abolished_on", parent=unit.parent_id or 0) \
        if unit else {"parent": id_arg("parent") or 0}
    form = UnitForm(data=start)
    form.level.choices, form.parent.choices = level_choices(), unit_choices()
    if form.validate_on_submit() and saved(lambda: save_unit(
            unit, actor=current_user, code=form.code.data, name=form.name.data, level=form.level.data,
            parent=get_or_none(AdministrativeUnit, form.parent.data), name_after_2025=form.name_after_2025.data,
            abolished_on=form.abolished_on.data), _("Đã lưu đơn vị %(code)s.", code=form.code.data.strip()),
            unseen=True) is None:
        return redirect(url_for(".units"))
    return form_page("admin/unit.html", form=form, unit=unit)


@bp.get("/organisations")
def organisations():
    search = search_arg()
    return render_template("admin/organisations.html", page=paginated(organisations_statement(search)), q=search,
                           kinds=ORGANISATION_KIND_LABELS)


@bp.route("/organisations/new", methods=["GET", "POST"])
@bp.route("/organisations/<int:organisation_id>", methods=["GET", "POST"])
def organisation(organisation_id: int | None = None):
    organisation = db.get_or_404(Organisation, organisation_id) if organisation_id else None
    contact = ("representative", "address", "phone", "email", "contact_public")
    form = OrganisationForm(data=_data(organisation, "name", "kind", *contact, unit=organisation.unit_id)
                            if organisation else None)
    form.unit.choices = unit_choices(blank=False)
    if form.validate_on_submit() and saved(lambda: save_organisation(
            organisation, actor=current_user, name=form.name.data, kind=form.kind.data,
            unit=db.get_or_404(AdministrativeUnit, form.unit.data), **{name: form[name].data for name in contact}),
            _("Đã lưu tổ chức %(name)s.", name=form.name.data.strip()), unseen=True) is None:
        return redirect(url_for(".organisations"))
    return form_page("admin/organisation.html", form=form, organisation=organisation)


from . import (
    activity,  # noqa: F401  the activity log page too
    calendar,  # noqa: F401  the working-day calendar pages too
    councils,  # noqa: F401  the council pages hang on the same blueprint
    mail,  # noqa: F401  the outbox pages hang on the same blueprint
    rule_sets,  # noqa: F401  the rule-set page too
)
