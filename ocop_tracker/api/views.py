"""API endpoints of issue 4: tokens, the caller's identity and status summary."""
from __future__ import annotations

from flask import Blueprint, g, request
from sqlalchemy.exc import OperationalError

from ..accounts.models import User
from ..accounts.sign_in import SignInSlowedDown, sign_in
from ..clock import VIETNAM
from ..clock import today as clock_today
from ..database import reads_only
from ..extensions import csrf, db
from ..summaries.services import PERIODS, period_bounds, summary_for
from . import errors
from .bodies import TokenRequest
from .errors import ApiError
from .payload import parse
from .tokens import expires_at, issue_api_token, live_api_token, note_token_use, revoke_api_token

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # no cookie ever authenticates an API call, so there is no cross-site request to forge
errors.register(bp)
# Endpoints that answer without a bearer token.
OPEN_ENDPOINTS = {"api.issue_token", "api.registry_certificate", "api.openapi_document"}
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="ocop-tracker"'}


@bp.before_request
def authenticate_bearer():
    """Every endpoint but the open ones needs `Authorization: Bearer <token>`; the session cookie does not count."""
    if request.endpoint in OPEN_ENDPOINTS:
        return
    scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise ApiError(401, "token_required", "send a token: Authorization: Bearer <token>", headers=CHALLENGE)
    token = live_api_token(raw.strip())
    if token is None:
        raise ApiError(401, "invalid_token", "the token is unknown, expired or revoked",
                       headers={"WWW-Authenticate": 'Bearer realm="ocop-tracker", error="invalid_token"'})
    g.api_token, g.api_user = token, token.user
    if note_token_use(token):
        try:
            db.session.commit()
        except OperationalError:
            if db.engine.dialect.name != "sqlite" or not reads_only():
                raise
            # A GET's deferred SQLite transaction cannot always become a write (database.reads_only): the
            # coarse last-use time is bookkeeping, noted on a later request; the request itself goes on.
            db.session.rollback()
    return


def api_user() -> User:
    """The user whose token authenticated this request."""
    return g.api_user


def _credentials() -> TokenRequest:
    """Username, password and an optional token name; none given is an authentication failure, not a 400."""
    given = parse(TokenRequest)
    if not given.username.strip() or not given.password:
        raise ApiError(401, "credentials_required", 'send {"username": ..., "password": ...}', headers=CHALLENGE)
    return given


@bp.post("/auth/token")
def issue_token():
    """The API's door to sign_in, the one the sign-in page uses too (brake, check, log): a token instead of a
    session."""
    given = _credentials()
    try:
        user = sign_in(given.username, given.password, request.remote_addr or "-", channel="api")
    except SignInSlowedDown as slowed:
        raise ApiError(429, "too_many_attempts", "too many failed sign-ins; wait and try again",
                       {"retry_after": slowed.wait}, {"Retry-After": str(slowed.wait)}) from None
    if user is None:
        db.session.commit()  # the failure counts towards the brake
        raise ApiError(401, "invalid_credentials", "wrong username or password", headers=CHALLENGE)
    raw, token = issue_api_token(user, actor=user, name=given.name)
    db.session.commit()
    return {"token": raw, "expires_at": expires_at(token).astimezone(VIETNAM).isoformat(timespec="seconds")}, 201


@bp.delete("/auth/token")
def revoke_token():
    revoke_api_token(g.api_token, actor=api_user())
    db.session.commit()
    return "", 204


def user_json(user: User) -> dict:
    """A user as the contract shows them (`/me`), with a few extra fields."""
    organisation, unit = user.organisation, user.unit
    return {"id": user.id, "username": user.username, "full_name": user.full_name, "role": user.role,
            "organisation": {"id": organisation.id, "name": organisation.name} if organisation else None,
            "unit": {"id": unit.id, "name": unit.name, "level": unit.level} if unit else None,
            "locale": user.locale, "email": user.email, "mail_preference": user.mail_preference}


@bp.get("/me")
def me():
    return user_json(api_user())


@bp.get("/summaries/me")
def my_summary():
    period = request.args.get("period", "daily")
    if period not in PERIODS:
        raise ApiError(400, "invalid_parameter", "period must be daily or weekly", {"period": list(PERIODS)})
    today = clock_today()
    summary = summary_for(api_user(), today, period)
    return {"subject": summary.subject, "text": summary.text, "html": summary.html, "period": period,
            "since": period_bounds(period, today)[1].isoformat()}


from . import dossiers, openapi, registry  # noqa: F401  their routes attach to `bp`
