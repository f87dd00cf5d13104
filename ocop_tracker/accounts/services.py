"""Users: creation, authentication, sign-in sessions and the brake on password guessing."""
from __future__ import annotations

import hashlib
import math
import secrets
from datetime import timedelta, timezone

from ..extensions import db
from ..models_base import utcnow
from .models import ROLES, AdministrativeUnit, Organisation, SignInAttempt, SignInSession, User


class AccountError(ValueError):
    """A user that cannot be created as asked."""


def create_user(*, username: str, password: str, role: str, full_name: str = "", email: str | None = None,
                organisation: Organisation | None = None, unit: AdministrativeUnit | None = None,
                locale: str = "vi") -> User:
    """Add a user bound to an organisation (producers) or a unit (officers, administrators)."""
    username = username.strip()
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    if role == "producer" and organisation is None:
        raise AccountError("a producer belongs to an organisation")
    if role in ("officer", "admin") and unit is None:
        raise AccountError("an officer or administrator belongs to a unit")
    if len(password) < 8:
        raise AccountError("the password needs at least 8 characters")
    if db.session.scalar(db.select(User.id).filter_by(username=username)) is not None:
        raise AccountError(f"the username {username!r} is taken")
    user = User(username=username, role=role, full_name=full_name, email=email,
                organisation=organisation, unit=unit, locale=locale)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(username: str, password: str) -> User | None:
    """The active user with these credentials, or None (same answer for unknown and wrong)."""
    user = db.session.scalar(db.select(User).filter_by(username=username.strip()))
    if user is None or not user.active or not user.check_password(password):
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


def record_sign_in_attempt(username: str, remote_addr: str, succeeded: bool) -> None:
    db.session.add(SignInAttempt(username=username.strip()[:80], remote_addr=remote_addr[:64], succeeded=succeeded))
    db.session.flush()


def sign_in_wait_seconds(username: str, remote_addr: str, *, free_failures: int, window_minutes: int) -> int:
    """Seconds to wait before the next try: failures beyond the free ones double the wait (max 15 min)."""
    since = utcnow() - timedelta(minutes=window_minutes)
    failures = db.select(SignInAttempt.at).where(
        SignInAttempt.succeeded.is_(False), SignInAttempt.at >= since,
        db.or_(SignInAttempt.username == username.strip()[:80], SignInAttempt.remote_addr == remote_addr[:64]))
    times = list(db.session.scalars(failures.order_by(SignInAttempt.at.desc())))
    extra = len(times) - free_failures
    if extra < 0:
        return 0
    latest = times[0] if times[0].tzinfo else times[0].replace(tzinfo=timezone.utc)
    wait = timedelta(seconds=min(15 * 2 ** extra, 900)) - (utcnow() - latest)
    return max(0, math.ceil(wait.total_seconds()))
