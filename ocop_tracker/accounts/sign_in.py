"""Signing in, and the brake on guessing that slows an attacker without locking the owner out.

Failures count in three ways (OWASP Authentication Cheat Sheet, "Login Throttling"): per (username, address)
with a low bar, per address across usernames with a higher bar, and per account across addresses. The account's
bar only slows addresses that have themselves failed against that account, so the owner's right password from a
clean address always gets through, however many others are guessing.
"""
from __future__ import annotations

import logging
import math
from datetime import UTC, datetime, timedelta

from flask import current_app

from ..extensions import db
from ..models_base import utcnow
from .models import SignInAttempt, User
from .services import authenticate

log = logging.getLogger(__name__)
LONGEST_WAIT_SECONDS = 900
FIRST_WAIT_SECONDS = 15


class SignInSlowedDown(Exception):
    """Too many failures: the next try from here is refused for `wait` seconds, before any password check."""

    def __init__(self, wait: int):
        super().__init__(f"too many failed sign-ins; wait {wait} s")
        self.wait = wait


def _key(username: str) -> str:
    return username.strip()[:80]


def record_attempt(username: str, address: str, *, succeeded: bool, kind: str = "sign_in") -> None:
    db.session.add(SignInAttempt(username=_key(username), remote_addr=address[:64], succeeded=succeeded, kind=kind))
    db.session.flush()


def _failures(kind: str, *where) -> tuple[int, datetime | None]:
    """How many failures of this kind match in the window, and the latest one's time."""
    since = utcnow() - timedelta(minutes=current_app.config["SIGN_IN_WINDOW_MINUTES"])
    count, latest = db.session.execute(
        db.select(db.func.count(SignInAttempt.id), db.func.max(SignInAttempt.at))
        .where(SignInAttempt.kind == kind, SignInAttempt.succeeded.is_(False), SignInAttempt.at >= since, *where)).one()
    return count, latest


def _wait(failures: int, latest: datetime | None, free: int) -> int:
    """Past the free failures, each one doubles the wait after the latest (at most 15 minutes)."""
    extra = failures - free
    if extra < 0 or latest is None:
        return 0
    latest = latest if latest.tzinfo else latest.replace(tzinfo=UTC)
    wait = timedelta(seconds=min(FIRST_WAIT_SECONDS * 2 ** min(extra, 16), LONGEST_WAIT_SECONDS)) - (utcnow() - latest)
    return max(0, math.ceil(wait.total_seconds()))


def sign_in_wait_seconds(username: str, address: str) -> int:
    """Seconds this address must wait before trying this username again (0: go ahead)."""
    config, name, address = current_app.config, _key(username), address[:64]
    pair = _failures("sign_in", SignInAttempt.username == name, SignInAttempt.remote_addr == address)
    by_address = _failures("sign_in", SignInAttempt.remote_addr == address)
    waits = [_wait(*pair, config["SIGN_IN_FREE_FAILURES"]),
             _wait(*by_address, config["SIGN_IN_ADDRESS_FREE_FAILURES"])]
    if pair[0]:  # only an address that has failed against this account meets the account's bar
        by_account, _ = _failures("sign_in", SignInAttempt.username == name)
        waits.append(_wait(by_account, pair[1], config["SIGN_IN_ACCOUNT_FREE_FAILURES"]))
    return max(waits)


def reset_wait_seconds(identifier: str, address: str) -> int:
    """Seconds before another reset mail may be asked for this name (from anywhere) or from this address."""
    config, name, address = current_app.config, _key(identifier), address[:64]
    by_name = _failures("password_reset", SignInAttempt.username == name)
    by_address = _failures("password_reset", SignInAttempt.remote_addr == address)
    return max(_wait(*by_name, config["SIGN_IN_FREE_FAILURES"]),
               _wait(*by_address, config["SIGN_IN_ADDRESS_FREE_FAILURES"]))


def sign_in(username: str, password: str, address: str, *, channel: str = "web") -> User | None:
    """The one sign-in of both doors (the page and the API's token): the brake, the password check, the attempt
    recorded and a log line without the password.

    Returns the user, or None for wrong credentials: a result, not a refusal, because the failed attempt it recorded
    must be committed for the brake to count it. Raises SignInSlowedDown (nothing recorded) while the brake holds.
    """
    username = username.strip()
    wait = sign_in_wait_seconds(username, address)
    if wait:
        log.warning("sign-in refused while slowed down: channel=%s username=%r address=%s wait=%ds",
                    channel, username, address, wait)
        raise SignInSlowedDown(wait)
    user = authenticate(username, password)
    record_attempt(username, address, succeeded=user is not None)
    if user is None:
        log.warning("failed sign-in: channel=%s username=%r address=%s", channel, username, address)
    else:
        log.info("signed in: channel=%s user_id=%s address=%s", channel, user.id, address)
    return user
