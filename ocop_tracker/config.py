"""Configuration: defaults here, then instance/config.py, then OCOP_* environment variables."""
from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import ClassVar


class Defaults:
    """Settings every deployment starts from."""

    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict] = {}
    TIMEZONE = "Asia/Ho_Chi_Minh"
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_SUPPORTED_LOCALES = ("vi", "en")
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    MAX_CONTENT_LENGTH = 21 * 1024 * 1024  # the document limit plus the form around it
    DOSSIERS_PER_PAGE = 25
    REGISTRY_PER_PAGE = 20
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_NAME = "ocop_session"
    # Set OCOP_SESSION_COOKIE_SECURE=true behind HTTPS; the laptop default serves plain HTTP.
    SESSION_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    REMEMBER_COOKIE_HTTPONLY = True
    DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
    # Storage limits: versions of one kind of document in a dossier, bytes of all versions of a dossier and of
    # every dossier of one organisation (a producer's share of the office's disk).
    DOCUMENT_MAX_VERSIONS = 20
    DOSSIER_MAX_BYTES = 200 * 1024 * 1024
    ORGANISATION_MAX_BYTES = 2 * 1024 * 1024 * 1024
    DEADLINE_DUE_SOON_WORKING_DAYS = 3
    # The dashboard's figures are kept per scope and reused for this many seconds (0: computed on every visit); its
    # refresh button recomputes them at once, but at most once per DASHBOARD_MIN_REFRESH seconds per scope.
    DASHBOARD_MAX_AGE = 300
    DASHBOARD_MIN_REFRESH = 30
    REMINDER_ESCALATION_WORKING_DAYS = 3
    API_TOKEN_HOURS = 24 * 30
    # Failed sign-ins in the window before each further try waits: per name from one address, per address over
    # all names, and per account over all addresses (only for addresses that failed against it: never the owner).
    SIGN_IN_FREE_FAILURES = 5
    SIGN_IN_ADDRESS_FREE_FAILURES = 20
    SIGN_IN_ACCOUNT_FREE_FAILURES = 10
    SIGN_IN_WINDOW_MINUTES = 15
    # A mailed password reset link works once, for this many minutes.
    PASSWORD_RESET_MINUTES = 30
    BOOTSTRAP_SERVE_LOCAL = True
    MAIL_FROM = "OCOP Tracker <no-reply@ocop.local>"
    # Links in mails point here (mails are composed outside any request, e.g. by cron).
    BASE_URL = "http://127.0.0.1:5000"
    # No SMTP_HOST (the embedded default): mails are written as .eml files in <instance>/outbox/.
    SMTP_HOST = ""
    SMTP_PORT = 587
    SMTP_SECURITY = "starttls"  # "starttls", "ssl" or "none"
    SMTP_USERNAME = ""
    SMTP_PASSWORD = ""
    SMTP_TIMEOUT = 30
    MAIL_MAX_ATTEMPTS = 6
    # Minutes to wait after the 1st, 2nd, ... failure; the last value repeats.
    MAIL_BACKOFF_MINUTES = (1, 5, 15, 60, 240)
    # A claim older than this is a crashed sender's: another sender takes the mail back.
    MAIL_CLAIM_LEASE_SECONDS = 600
    # Storage of uploaded documents and decision PDFs: "folder" (STORAGE_FOLDER, "" = <instance>/uploads) or "s3"
    # (any S3-compatible service, path-style; the four S3 settings below the region are required then).
    STORAGE_BACKEND = "folder"
    STORAGE_FOLDER = ""
    S3_ENDPOINT_URL = ""
    S3_BUCKET = ""
    S3_ACCESS_KEY_ID = ""
    S3_SECRET_ACCESS_KEY = ""
    S3_REGION = "us-east-1"
    S3_PREFIX = ""
    # `sweep-files` deletes an unreferenced file only when it is older than this (an upload not yet committed).
    SWEEP_GRACE_HOURS = 24
    # Operations (health, proxies, logs, error reporting): see docs/deploy.md.
    PROXY_COUNT = 0  # reverse proxies in front that set X-Forwarded-*; 0 trusts none of those headers
    HSTS_SECONDS = 0  # > 0: Strict-Transport-Security on every response (only once HTTPS works everywhere)
    LOG_FORMAT = "text"  # "text" or "json" (one JSON object per line on stderr)
    SENTRY_DSN = ""  # a Sentry or GlitchTip DSN; needs the [sentry] extra
    SENTRY_ENVIRONMENT = "production"
    # Backups (flask backup / restore): the folder holding pg_dump and pg_restore ("" = the server's version under
    # /usr/lib/postgresql/<major>/bin, then PATH).
    BACKUP_PG_BIN_DIR = ""


# Secrets and other settings that are text whatever they look like: a password "123456" stays a string.
TEXT_SETTINGS = frozenset({"SECRET_KEY"})


def _env_value(name: str, raw: str):
    """Text settings (text defaults and secrets) as given; others as JSON when they parse (numbers, booleans)."""
    if name in TEXT_SETTINGS or isinstance(getattr(Defaults, name, None), str):
        return raw
    try:
        return json.loads(raw)
    except ValueError:
        return raw


def load_environment(config: dict) -> None:
    """Copy OCOP_<NAME> variables onto <NAME>; OCOP_DATABASE_URL is the database URI."""
    for key, raw in os.environ.items():
        if not key.startswith("OCOP_") or key.startswith(("OCOP_TEST_", "OCOP_INSTANCE_PATH")):
            continue
        name = key.removeprefix("OCOP_")
        if name == "DATABASE_URL":
            config["SQLALCHEMY_DATABASE_URI"] = raw
        else:
            config[name] = _env_value(name, raw)


def refuse_placeholder_secret(key: str) -> None:
    """Stop start-up on the env example's placeholder: anyone who read it could sign a session."""
    if "CHANGE-ME" in key.upper():
        raise RuntimeError("OCOP_SECRET_KEY is still the placeholder CHANGE-ME: set a random one, e.g. "
                           "python3 -c 'import secrets; print(secrets.token_urlsafe(48))'")


def ensure_secret_key(instance_path: Path) -> str:
    """Return the instance's secret key, generating it on first run (never committed)."""
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()
