"""API tokens: issued to a signed-in user, stored only as a hash, expiring and revocable."""
from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from flask import current_app

from ..accounts.models import ApiToken, User
from ..activity.services import log_action
from ..extensions import db
from ..models_base import utcnow
from ..workflow import NotPermitted

DEFAULT_TOKEN_HOURS = 24 * 30
TOKEN_PREFIX = "ocop_"
# Recording every use would make each read a write; once per few minutes is enough to show "last used".
LAST_USED_RESOLUTION = timedelta(minutes=5)


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _aware(moment: datetime) -> datetime:
    """SQLite hands timestamps back without their zone; they were written in UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def issue_api_token(user: User, *, actor: User, name: str = "") -> tuple[str, ApiToken]:
    """A new token for the user (the secret is returned once, only its hash is kept)."""
    if actor is None or actor.id != user.id or not user.active:
        raise NotPermitted("a token is issued only to its own, active user")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    hours = current_app.config.get("API_TOKEN_HOURS", DEFAULT_TOKEN_HOURS)
    token = ApiToken(token_hash=token_digest(raw), user_id=user.id, name=name.strip()[:80],
                     expires_at=utcnow() + timedelta(hours=hours))
    db.session.add(token)
    db.session.flush()
    log_action("account.issue_token", actor=actor, obj=user, data={"token_id": token.id, "name": token.name,
                                                                   "expires_at": token.expires_at.isoformat()})
    return raw, token


def revoke_api_token(token: ApiToken, *, actor: User) -> None:
    """End a token now: its owner or an administrator may."""
    if actor is None or (actor.id != token.user_id and actor.role != "admin"):
        raise NotPermitted("only the token's owner or an administrator can revoke it")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        log_action("account.revoke_token", actor=actor, obj=token.user, data={"token_id": token.id,
                                                                              "name": token.name})
    db.session.flush()


def live_api_token(raw: str) -> ApiToken | None:
    """The token with this secret if it is neither expired nor revoked and its user is active."""
    token = db.session.scalar(db.select(ApiToken).where(
        ApiToken.token_hash == token_digest(raw), ApiToken.revoked_at.is_(None), ApiToken.expires_at > utcnow()))
    if token is None or not token.user.active:
        return None
    return token


def note_token_use(token: ApiToken) -> bool:
    """Record when the token was last used (coarsely); True when that changed something to commit."""
    now = utcnow()
    last = _aware(token.last_used_at) if token.last_used_at else None
    if last is not None and now - last < LAST_USED_RESOLUTION:
        return False
    token.last_used_at = now
    return True


def expires_at(token: ApiToken) -> datetime:
    return _aware(token.expires_at)
