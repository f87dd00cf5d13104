"""Password reset by email: a single-use, expiring link whose token is stored only as its SHA-256 hash."""
from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import UTC, datetime, timedelta

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from ..activity.services import log_action
from ..extensions import db
from ..models_base import utcnow
from ..notifications.mails import SUBJECT_PREFIX, absolute_url
from ..notifications.services import queue_mail
from .models import ApiToken, PasswordResetToken, User
from .services import AccountError, check_new_password, revoke_sign_in_sessions
from .sign_in import record_attempt

DEFAULT_RESET_MINUTES = 30
MAIL_KIND = "account.password_reset"
log = logging.getLogger(__name__)


class ResetLinkInvalid(AccountError):
    """The link is unknown, already used or expired (one answer for all three)."""

    def __init__(self):
        super().__init__("the password reset link is unknown, used or expired", "reset_link_invalid")


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _utc(moment: datetime | None) -> datetime:
    """UTC, as the stored times are (SQLite compares them as text and hands them back without their zone)."""
    moment = moment or utcnow()
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def reset_minutes() -> int:
    return int(current_app.config.get("PASSWORD_RESET_MINUTES", DEFAULT_RESET_MINUTES))


def _accounts(identifier: str) -> list[User]:
    """The accounts a username or an email address names (an address may be shared by several)."""
    by_name = db.select(User).where(User.username == identifier)
    by_email = db.select(User).where(db.func.lower(User.email) == identifier.lower())
    found = {user.id: user for user in db.session.scalars(by_name)}
    found |= {user.id: user for user in db.session.scalars(by_email)}
    return [found[key] for key in sorted(found)]


def _compose(user: User, link: str, expires_at: datetime, minutes: int) -> tuple[str, str, str]:
    """(subject, text, html) of the reset mail in the recipient's language."""
    language = user.locale if user.locale in current_app.config["BABEL_SUPPORTED_LOCALES"] else "vi"
    with force_locale(language):
        subject = SUBJECT_PREFIX + _("Đặt lại mật khẩu tài khoản %(username)s", username=user.username)
        values = {"recipient": user, "language": language, "subject": subject, "link": link,
                  "expires_at": expires_at, "minutes": minutes}
        text = render_template("emails/password_reset.txt", **values)
        html = render_template("emails/password_reset.html", **values)
    return subject, text.strip() + "\n", html.strip() + "\n"


def _end_unused_links(user: User, now: datetime) -> None:
    """Expire the user's links not used yet (compared in SQL: SQLite hands times back without their zone)."""
    db.session.execute(db.update(PasswordResetToken).where(
        PasswordResetToken.user_id == user.id, PasswordResetToken.used_at.is_(None),
        PasswordResetToken.expires_at > now).values(expires_at=now)
        .execution_options(synchronize_session="fetch"))


def _issue(user: User, *, address: str, now: datetime, minutes: int) -> None:
    """End the user's earlier unused links, store the new one's hash and queue its mail."""
    raw = secrets.token_urlsafe(32)
    _end_unused_links(user, now)
    expires_at = now + timedelta(minutes=minutes)
    db.session.add(PasswordResetToken(token_hash=_digest(raw), user_id=user.id, expires_at=expires_at,
                                      requested_from=address[:64]))
    subject, text, html = _compose(user, absolute_url("accounts.reset_password", token=raw), expires_at, minutes)
    queue_mail(user, kind=MAIL_KIND, subject=subject, text=text, html=html)
    log_action("account.password_reset_requested", actor=user, obj=user,
               data={"address": address, "sent": True, "expires_at": expires_at.isoformat()})
    log.info("password reset link mailed: user_id=%s address=%s", user.id, address)


def _decline(identifier: str, users: list[User], *, address: str, now: datetime, minutes: int) -> None:
    """Nothing is sent, yet the same work is done (a token hashed, a mail rendered) so timing tells nothing."""
    stand_in = users[0] if users else User(username=identifier[:80], full_name="", locale="vi")
    _digest(secrets.token_urlsafe(32))
    _compose(stand_in, absolute_url("accounts.reset_password", token="-"), now + timedelta(minutes=minutes), minutes)
    for user in users:
        reason = "inactive" if not user.active else "no_email"
        log_action("account.password_reset_requested", actor=user, obj=user,
                   data={"address": address, "sent": False, "reason": reason})
    if not users:
        log_action("account.password_reset_requested", actor=None,
                   data={"identifier": identifier[:80], "address": address, "sent": False, "reason": "unknown"})
    log.info("password reset requested, nothing sent: known=%s address=%s", bool(users), address)


def request_password_reset(identifier: str, *, address: str, now: datetime | None = None) -> int:
    """Mail a reset link to each active account with an address the username or email names; how many.

    Every request counts against the reset brake (per name and per address), whether or not it matched.
    """
    identifier, now, minutes = identifier.strip(), _utc(now), reset_minutes()
    record_attempt(identifier.lower(), address, succeeded=False, kind="password_reset")
    users = _accounts(identifier) if identifier else []
    mailable = [user for user in users if user.active and user.email]
    for user in mailable:
        _issue(user, address=address, now=now, minutes=minutes)
    if not mailable:
        _decline(identifier, users, address=address, now=now, minutes=minutes)
    db.session.flush()
    return len(mailable)


def live_reset_token(raw_token: str, *, now: datetime | None = None) -> PasswordResetToken | None:
    """The unused, unexpired link with this token whose account is still active, or None."""
    token = db.session.scalar(db.select(PasswordResetToken).where(
        PasswordResetToken.token_hash == _digest(raw_token), PasswordResetToken.used_at.is_(None),
        PasswordResetToken.expires_at > _utc(now)))
    if token is None or not token.user.active:
        return None
    return token


def reset_password(raw_token: str, new_password: str, *, address: str, now: datetime | None = None) -> User:
    """Set the password the link's owner chose; the link is spent and every sign-in and API token ends."""
    now = _utc(now)
    token = live_reset_token(raw_token, now=now)
    if token is None:
        raise ResetLinkInvalid()
    user = token.user
    check_new_password(new_password, username=user.username)
    user.set_password(new_password)
    token.used_at = now
    _end_unused_links(user, now)
    revoke_sign_in_sessions(user)
    db.session.execute(db.update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
                       .values(revoked_at=now))
    log_action("account.password_reset", actor=user, obj=user, data={"address": address, "token_id": token.id})
    log.info("password reset through a mailed link: user_id=%s address=%s", user.id, address)
    db.session.flush()
    return user
