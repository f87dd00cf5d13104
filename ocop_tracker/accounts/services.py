"""Users: creation and authentication."""
from __future__ import annotations

from ..extensions import db
from .models import ROLES, AdministrativeUnit, Organisation, User


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
