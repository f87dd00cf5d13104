"""Administrative units, organisations and users."""
from __future__ import annotations

from datetime import date, datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import Model
from ..models_base import created_at_column

ROLES = ("producer", "officer", "council_member", "admin")
MAIL_PREFERENCES = ("immediate", "summary")
ORGANISATION_KINDS = ("cooperative", "enterprise", "household_business", "cooperative_group")


class UnitLevel(Model):
    """A tier of local government (province, district, commune), kept as data."""

    __tablename__ = "unit_levels"
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    rank: Mapped[int] = mapped_column(unique=True)
    name_vi: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(80))


class AdministrativeUnit(Model):
    """A province, district or commune; `path` ("/1/4/9/") makes subtree queries one LIKE."""

    __tablename__ = "administrative_units"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    level: Mapped[str] = mapped_column(ForeignKey("unit_levels.code"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("administrative_units.id"))
    path: Mapped[str] = mapped_column(String(255), index=True, default="")
    # The 2025 reform abolished districts and merged provinces: keep the old and the new names.
    name_after_2025: Mapped[str | None] = mapped_column(String(120))
    abolished_on: Mapped[date | None]

    parent: Mapped[AdministrativeUnit | None] = relationship(remote_side=[id])

    def ancestor_at(self, level: str) -> AdministrativeUnit | None:
        """This unit or the nearest ancestor at `level`."""
        unit: AdministrativeUnit | None = self
        while unit is not None and unit.level != level:
            unit = unit.parent
        return unit

    def contains(self, other: AdministrativeUnit | None) -> bool:
        """Whether `other` is this unit or lies below it."""
        return other is not None and other.path.startswith(self.path)

    def __repr__(self) -> str:
        return f"<AdministrativeUnit {self.code} {self.name}>"


class Organisation(Model):
    """A producer: cooperative, enterprise, household business or cooperative group."""

    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint(f"kind IN {ORGANISATION_KINDS}", name="kind"),
        # "In the user's province" (dossiers/awaiting.py) reads a province's organisations off this index alone
        # (index-only on PostgreSQL), never the whole table (issue 13).
        Index("ix_organisations_unit_id", "unit_id", postgresql_include=["id"]),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))
    unit_id: Mapped[int] = mapped_column(ForeignKey("administrative_units.id"))
    representative: Mapped[str | None] = mapped_column(String(120))
    address: Mapped[str | None] = mapped_column(String(255))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    # The public registry shows phone and email only when the producer chose to publish them.
    contact_public: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = created_at_column()

    unit: Mapped[AdministrativeUnit] = relationship()
    members: Mapped[list[User]] = relationship(back_populates="organisation")


class User(UserMixin, Model):
    """A person who signs in; producers belong to an organisation, officers to a unit."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(f"role IN {ROLES}", name="role"),
        CheckConstraint("role != 'producer' OR organisation_id IS NOT NULL", name="producer_has_organisation"),
        CheckConstraint("role NOT IN ('officer', 'admin') OR unit_id IS NOT NULL", name="officer_has_unit"),
        CheckConstraint(f"mail_preference IN {MAIL_PREFERENCES}", name="mail_preference"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    full_name: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("administrative_units.id"), index=True)
    locale: Mapped[str] = mapped_column(String(5), default="vi")
    # "summary": no mail per event, only the periodic status summary (reminders still come).
    mail_preference: Mapped[str] = mapped_column(String(10), default="immediate", server_default="immediate")
    # The head of the unit receives escalated overdue reminders.
    is_unit_head: Mapped[bool] = mapped_column(default=False, server_default=false())
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = created_at_column()

    organisation: Mapped[Organisation | None] = relationship(back_populates="members")
    unit: Mapped[AdministrativeUnit | None] = relationship()

    @property
    def is_active(self) -> bool:
        return self.active

    def set_password(self, password: str) -> None:
        # Configurable so the test suite can use a cheap hash; production keeps the strong default.
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"


class SignInSession(Model):
    """One signed-in browser; sign-out revokes it, so a copied session cookie stops working."""

    __tablename__ = "sign_in_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = created_at_column()
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


ATTEMPT_KINDS = ("sign_in", "password_reset")


class SignInAttempt(Model):
    """A sign-in try or a password reset request, kept to slow down guessing and mail floods and to log them."""

    __tablename__ = "sign_in_attempts"
    __table_args__ = (CheckConstraint(f"kind IN {ATTEMPT_KINDS}", name="kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    # A reset request is no password guess: it must not mark its address as one that failed against the account.
    kind: Mapped[str] = mapped_column(String(20), default="sign_in", server_default="sign_in")
    username: Mapped[str] = mapped_column(String(80), index=True)
    remote_addr: Mapped[str] = mapped_column(String(64), index=True)
    succeeded: Mapped[bool]
    at: Mapped[datetime] = created_at_column()


class ApiToken(Model):
    """A bearer token for the JSON API: stored hashed, expiring, revocable by its owner."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = created_at_column()
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()


class PasswordResetToken(Model):
    """A single-use link to choose a new password: stored hashed, expiring."""

    __tablename__ = "password_reset_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = created_at_column()
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    requested_from: Mapped[str] = mapped_column(String(64), default="")

    user: Mapped[User] = relationship()
