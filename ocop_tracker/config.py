"""Configuration: defaults here, then instance/config.py, then OCOP_* environment variables."""
from __future__ import annotations

import json
import os
import secrets
from pathlib import Path


class Defaults:
    """Settings every deployment starts from."""

    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    DEFAULT_RULE_SET = "qd148-2023-district"
    TIMEZONE = "Asia/Ho_Chi_Minh"
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_SUPPORTED_LOCALES = ("vi", "en")
    MAX_CONTENT_LENGTH = 20 * 1024 * 1024
    DOSSIERS_PER_PAGE = 25
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    BOOTSTRAP_SERVE_LOCAL = True
    MAIL_FROM = "OCOP Tracker <no-reply@ocop.local>"


def _env_value(raw: str):
    """Read OCOP_* values as JSON when they look like it (numbers, booleans), else as text."""
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
            config[name] = _env_value(raw)


def ensure_secret_key(instance_path: Path) -> str:
    """Return the instance's secret key, generating it on first run (never committed)."""
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()
