"""`/healthz` (the process answers) and `/readyz` (database and storage reachable): public, cheap, never cached.

Both answer in JSON without touching the session (no cookie) or the sign-in machinery; a failing check names
itself with a short reason, while the details go to the log under the request id.
"""
from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Blueprint, Response, jsonify

from ..extensions import csrf, db
from ..storage import current_storage

bp = Blueprint("health", __name__)
csrf.exempt(bp)  # GET only, and no cookie is read: nothing to forge
log = logging.getLogger(__name__)


def _answer(body: dict, status: int) -> Response:
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"  # a cached "ok" would hide an outage
    return response


@bp.get("/healthz")
def healthz() -> Response:
    """The process is up; no database, no storage."""
    return _answer({"status": "ok"}, 200)


def _database_ready() -> None:
    """SELECT 1 on a pooled DBAPI connection: no session, and no BEGIN IMMEDIATE (SQLite's write lock)."""
    connection = db.engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute("SELECT 1")
        cursor.fetchall()
        cursor.close()
    finally:
        connection.close()


def _storage_ready() -> None:
    """The storage backend answers (folder: exists and writable; S3: the bucket is there); raises when not."""
    current_storage().ping()


CHECKS: dict[str, Callable[[], None]] = {"database": _database_ready, "storage": _storage_ready}


def _reason(error: Exception) -> str:
    """A short public reason: the kind of failure, never a message that may name hosts or paths."""
    detail = f": {error.strerror}" if isinstance(error, OSError) and error.strerror else ""
    return f"unavailable ({type(error).__name__}{detail})"


@bp.get("/readyz")
def readyz() -> Response:
    """Every check's result; 503 when one fails."""
    checks, failed = {}, []
    for name, check in CHECKS.items():
        try:
            check()
            checks[name] = "ok"
        except Exception as error:  # noqa: BLE001  any failure means "not ready", said in JSON, never a 500
            log.warning("readiness check %s failed: %r", name, error)
            checks[name] = _reason(error)
            failed.append(name)
    if failed:
        return _answer({"status": "unavailable", "checks": checks, "failed": failed}, 503)
    return _answer({"status": "ok", "checks": checks}, 200)
