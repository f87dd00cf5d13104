"""Sign-in, sign-out, password reset and the language switch; login is required everywhere but the allow-list."""
from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import Blueprint, flash, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..commit_point import committed, said
from ..errors import is_api_request
from ..extensions import db, login_manager
from . import password_reset
from .forms import (
    ForgotPasswordForm,
    LanguageForm,
    LoginForm,
    LogoutForm,
    PasswordForm,
    ProfileForm,
    ResetPasswordForm,
    account_error_message,  # noqa: F401  registers how a page says an account refusal
)
from .models import User
from .services import (
    change_password,
    close_sign_in_session,
    open_sign_in_session,
    sign_in_session_is_live,
    update_profile,
)
from .sign_in import SignInSlowedDown, reset_wait_seconds, sign_in

bp = Blueprint("accounts", __name__)
log = logging.getLogger(__name__)
# Endpoints anyone may open; every other endpoint needs a signed-in user (deny by default).
PUBLIC_ENDPOINTS = {"accounts.login", "accounts.language", "accounts.forgot_password", "accounts.reset_password",
                    "static", "bootstrap.static",
                    "registry.index", "registry.certificate", "registry.qr", "api.registry_certificate",
                    "api.openapi_document", "api_docs.page", "health.healthz", "health.readyz"}

login_manager.login_view = "accounts.login"
login_manager.login_message = None


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The signed-in user, only while the sign-in session this cookie names is live."""
    if not user_id.isdigit() or not sign_in_session_is_live(int(user_id), session.get("sign_in")):
        return None
    return db.session.get(User, int(user_id))


@bp.before_app_request
def require_login():
    if request.endpoint in PUBLIC_ENDPOINTS or current_user.is_authenticated:
        return None
    if is_api_request():
        return None  # the API answers 401 in JSON itself
    return login_manager.unauthorized()


def _safe_next(target: str | None) -> str:
    """Only paths inside this site: no scheme, no host, no // or /\\ (browsers read both as a host)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target \
            and not urlsplit(target).netloc:
        return target
    return url_for("dossiers.index")


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if not form.validate_on_submit():
        return render_template("accounts/login.html", form=form)
    try:
        user = sign_in(form.username.data, form.password.data, request.remote_addr or "-", channel="web")
    except SignInSlowedDown as slowed:
        flash(_("Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau %(seconds)d giây.", seconds=slowed.wait), "danger")
        return render_template("accounts/login.html", form=form), 429
    if user is None:
        db.session.commit()  # the failure counts towards the brake
        flash(_("Tên đăng nhập hoặc mật khẩu không đúng."), "danger")
        return render_template("accounts/login.html", form=form), 200
    session.clear()  # a fresh session: nothing from before sign-in carries over
    session["sign_in"] = open_sign_in_session(user)
    login_user(user)
    db.session.commit()
    return redirect(_safe_next(request.args.get("next")))


@bp.post("/logout")
@login_required
def logout():
    if LogoutForm().validate_on_submit():
        close_sign_in_session(session.get("sign_in"))
        db.session.commit()
        logout_user()
        session.clear()
    return redirect(url_for("accounts.login"))


@bp.post("/language")
def language():
    """Switch language: kept on the user when signed in, on the browser session otherwise."""
    form = LanguageForm()
    if form.validate_on_submit():
        session["locale"] = form.locale.data
        if current_user.is_authenticated:
            current_user.locale = form.locale.data
            db.session.commit()
    return redirect(_safe_next(request.form.get("next")))


@bp.get("/profile")
def profile():
    """The signed-in user's own details, with a form for each thing they may change."""
    return _profile_page(ProfileForm(obj=current_user), PasswordForm(formdata=None))


def _profile_page(details: ProfileForm, password: PasswordForm, status: int = 200):
    return render_template("accounts/profile.html", details=details, password=password), status


@bp.post("/profile")
def profile_details():
    form = ProfileForm()
    if not form.validate_on_submit():
        return _profile_page(form, PasswordForm(formdata=None), 422)
    update_profile(current_user, actor=current_user, full_name=form.full_name.data or "",
                   email=form.email.data, locale=form.locale.data, mail_preference=form.mail_preference.data)
    session["locale"] = form.locale.data  # the same choice the nav's language switch records
    db.session.commit()
    flash(_("Đã lưu thông tin tài khoản."), "success")
    return redirect(url_for(".profile"))


@bp.post("/profile/password")
def profile_password():
    form = PasswordForm()
    if form.validate_on_submit():
        refusal = committed(lambda: change_password(
            current_user, actor=current_user, current_password=form.current_password.data,
            new_password=form.new_password.data, keep_token=session.get("sign_in")))
        if refusal is None:
            flash(_("Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn đã bị đăng xuất."), "success")
            return redirect(url_for(".profile"))
        field = form.new_password if refusal.code.startswith("password_") else form.current_password
        field.errors.append(said(refusal))
    return _profile_page(ProfileForm(formdata=None, obj=current_user), form, 422)


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    """Ask for a reset link; the answer is the same whether or not an account matched."""
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        return render_template("accounts/forgot_password.html", form=form), 422 if form.is_submitted() else 200
    identifier, address = form.identifier.data.strip(), request.remote_addr or "-"
    wait = reset_wait_seconds(identifier.lower(), address)
    if wait:
        log.warning("password reset refused while slowed down: identifier=%r address=%s", identifier, address)
        flash(_("Có quá nhiều lần thử từ tài khoản hoặc địa chỉ này. Vui lòng thử lại sau %(seconds)d giây.",
                seconds=wait), "danger")
        return render_template("accounts/forgot_password.html", form=form), 429
    password_reset.request_password_reset(identifier, address=address)
    db.session.commit()
    return render_template("accounts/reset_sent.html", minutes=password_reset.reset_minutes())


def _reset_page(form: ResetPasswordForm | None, status: int, username: str = ""):
    """The reset page; no Referer from it, so the token in its address stays out of other requests' logs."""
    response = make_response(render_template("accounts/reset_password.html", form=form, username=username), status)
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password through a mailed link; every sign-in of the account ends."""
    link = password_reset.live_reset_token(token)
    if link is None:
        return _reset_page(None, 404)
    form = ResetPasswordForm()
    if not form.validate_on_submit():
        return _reset_page(form, 422 if form.is_submitted() else 200, link.user.username)
    refusal = committed(lambda: password_reset.reset_password(token, form.new_password.data,
                                                              address=request.remote_addr or "-"))
    if isinstance(refusal, password_reset.ResetLinkInvalid):
        return _reset_page(None, 404)
    if refusal is not None:
        form.new_password.errors.append(said(refusal))
        return _reset_page(form, 422, link.user.username)
    flash(_("Đã đặt mật khẩu mới; hãy đăng nhập."), "success")
    return redirect(url_for(".login"))
