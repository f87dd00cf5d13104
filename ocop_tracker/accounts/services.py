"""Users: creation, profile and administration, authentication and sign-in sessions."""
from __future__ import annotations

import hashlib
import secrets

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from ..activity.services import changes, log_action, snapshot
from ..extensions import db
from ..models_base import utcnow
from ..refusals import Refusal
from ..workflow import NotPermitted
from .models import MAIL_PREFERENCES, ROLES, AdministrativeUnit, Organisation, SignInSession, User
from .password_rule import MIN_PASSWORD_LENGTH, REASONS, password_weakness  # noqa: F401  the forms show the length

LOCALES = ("vi", "en")
# What the activity log compares on an account change (never the password hash).
PROFILE_FIELDS = ("full_name", "email", "locale", "mail_preference")
USER_FIELDS = ("full_name", "email", "role", "organisation_id", "unit_id", "locale")
# A hash per hashing method, checked when no account matches, so an unknown name costs what a known one does.
_STAND_IN_HASHES: dict[str, str] = {}


class AccountError(Refusal, ValueError):
    """A change to accounts or the directory the rules refuse; `code` (and `params`) say why, for the UI."""

    def __init__(self, message: str, code: str = "invalid", **params):
        super().__init__(message, code=code, params=params)


def require_admin(actor: User) -> None:
    """Administration is for administrators; a service refuses anyone else itself."""
    if actor is None or actor.role != "admin":
        raise NotPermitted("only an administrator can manage users, units, organisations and councils")


def check_new_password(password: str, *, username: str = "") -> None:
    """The password rule every way of setting a password applies (see password_rule)."""
    code = password_weakness(password, username=username)
    if code is not None:
        raise AccountError(REASONS[code], code)


def _check_locale(locale: str) -> None:
    if locale not in LOCALES:
        raise AccountError(f"unknown language {locale!r}", "unknown_locale")


def _binding(role: str, organisation: Organisation | None, unit: AdministrativeUnit | None):
    """The organisation and unit a role is bound to; the binding the role does not use is dropped."""
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}", "unknown_role")
    if role == "producer" and organisation is None:
        raise AccountError("a producer belongs to an organisation", "producer_needs_organisation")
    if role in ("officer", "admin") and unit is None:
        raise AccountError("an officer or administrator belongs to a unit", "officer_needs_unit")
    if role == "council_member":  # an expert may work for an organisation: they then cannot score its products
        return organisation, None
    return (organisation, None) if role == "producer" else (None, unit)


def create_user(*, username: str, password: str, role: str, full_name: str = "", email: str | None = None,
                organisation: Organisation | None = None, unit: AdministrativeUnit | None = None,
                locale: str = "vi", public_demo_password: bool = False) -> User:
    """Add a user bound to an organisation (producers) or a unit (officers, administrators).

    `public_demo_password` skips the password rule for the API contract's demo password only."""
    username = username.strip()
    organisation, unit = _binding(role, organisation, unit)
    _check_locale(locale)
    if not username:
        raise AccountError("a username is required", "username_required")
    if not public_demo_password:
        check_new_password(password, username=username)
    if db.session.scalar(db.select(User.id).filter_by(username=username)) is not None:
        raise AccountError(f"the username {username!r} is taken", "username_taken", username=username)
    user = User(username=username, role=role, full_name=full_name, email=email,
                organisation=organisation, unit=unit, locale=locale)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def add_user(*, actor: User, **details) -> User:
    """An administrator adds a user; `details` are create_user's."""
    require_admin(actor)
    user = create_user(**details)
    log_action("admin.user.create", actor=actor, obj=user, data={"username": user.username, "changes": changes(
        dict.fromkeys(USER_FIELDS), user)})
    return user


def update_profile(user: User, *, actor: User, full_name: str, email: str | None, locale: str,
                   mail_preference: str | None = None) -> None:
    """A user changes their own name, email, language and mail preference (None keeps it)."""
    if actor.id != user.id:
        raise NotPermitted("a profile is changed by its owner")
    _check_locale(locale)
    if mail_preference is not None and mail_preference not in MAIL_PREFERENCES:
        raise AccountError(f"unknown mail preference {mail_preference!r}", "unknown_mail_preference")
    before = snapshot(user, *PROFILE_FIELDS)
    user.full_name, user.email, user.locale = full_name.strip(), (email or "").strip() or None, locale
    user.mail_preference = mail_preference or user.mail_preference
    db.session.flush()
    log_action("account.update_profile", actor=actor, obj=user, data={"changes": changes(before, user)})


def change_password(user: User, *, actor: User, current_password: str, new_password: str,
                    keep_token: str | None) -> None:
    """A user changes their own password; every other signed-in browser of theirs is signed out."""
    if actor.id != user.id:
        raise NotPermitted("a password is changed by its owner")
    if not user.check_password(current_password):
        raise AccountError("the current password is wrong", "wrong_password")
    check_new_password(new_password, username=user.username)
    user.set_password(new_password)
    revoke_sign_in_sessions(user, keep_token=keep_token)
    log_action("account.change_password", actor=actor, obj=user)


def edit_user(user: User, *, actor: User, full_name: str, email: str | None, role: str,
              organisation: Organisation | None, unit: AdministrativeUnit | None, locale: str) -> None:
    """An administrator changes a user's details, role and what the role is bound to."""
    require_admin(actor)
    if user.id == actor.id and role != user.role:
        raise AccountError("administrators cannot change their own role", "own_account")
    before = snapshot(user, *USER_FIELDS)
    user.organisation, user.unit = _binding(role, organisation, unit)
    _check_locale(locale)
    user.role, user.full_name, user.email, user.locale = role, full_name.strip(), (email or "").strip() or None, locale
    db.session.flush()
    log_action("admin.user.update", actor=actor, obj=user, data={"username": user.username,
                                                                 "changes": changes(before, user)})


def reset_password(user: User, *, actor: User, password: str) -> None:
    """An administrator sets a new password; the user's signed-in browsers are all signed out."""
    require_admin(actor)
    if user.id == actor.id:
        raise AccountError("administrators change their own password on their profile", "own_account")
    check_new_password(password, username=user.username)
    user.set_password(password)
    revoke_sign_in_sessions(user)
    log_action("admin.user.reset_password", actor=actor, obj=user, data={"username": user.username})


def set_user_active(user: User, active: bool, *, actor: User) -> None:
    """Deactivate (signing the user out everywhere) or reactivate an account; its history stays."""
    require_admin(actor)
    if user.id == actor.id:
        raise AccountError("administrators cannot deactivate themselves", "own_account")
    was_active = user.active
    user.active = active
    if not active:
        revoke_sign_in_sessions(user)
    db.session.flush()
    log_action("admin.user.reactivate" if active else "admin.user.deactivate", actor=actor, obj=user,
               data={"username": user.username, "changes": {"active": [was_active, active]}})


def _stand_in_hash() -> str:
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    if method not in _STAND_IN_HASHES:
        _STAND_IN_HASHES[method] = generate_password_hash(secrets.token_urlsafe(16), method=method)
    return _STAND_IN_HASHES[method]


def authenticate(username: str, password: str) -> User | None:
    """The active user with these credentials, or None: unknown, inactive and wrong cost the same hash work."""
    user = db.session.scalar(db.select(User).filter_by(username=username.strip()))
    if user is None:
        check_password_hash(_stand_in_hash(), password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_sign_in_session(user: User) -> str:
    """Start a server-side record of this sign-in; the returned token lives in the session cookie."""
    token = secrets.token_urlsafe(32)
    db.session.add(SignInSession(token_hash=_digest(token), user_id=user.id))
    db.session.flush()
    return token


def sign_in_session_is_live(user_id: int, token: str | None) -> bool:
    if not token:
        return False
    found = db.session.scalar(db.select(SignInSession).filter_by(token_hash=_digest(token), user_id=user_id))
    return found is not None and found.revoked_at is None


def close_sign_in_session(token: str | None) -> None:
    """Revoke the sign-in, so a copy of the cookie taken before sign-out is refused afterwards."""
    if token:
        db.session.execute(db.update(SignInSession).where(SignInSession.token_hash == _digest(token),
                                                          SignInSession.revoked_at.is_(None))
                           .values(revoked_at=utcnow()))


def revoke_sign_in_sessions(user: User, *, keep_token: str | None = None) -> None:
    """Sign the user out of every browser, except the one holding `keep_token`."""
    statement = db.update(SignInSession).where(SignInSession.user_id == user.id, SignInSession.revoked_at.is_(None))
    if keep_token:
        statement = statement.where(SignInSession.token_hash != _digest(keep_token))
    db.session.execute(statement.values(revoked_at=utcnow()))
