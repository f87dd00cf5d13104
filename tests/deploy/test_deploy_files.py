"""The shipped deployment files agree with the app: every setting documented, every command real, sizes in step."""
from __future__ import annotations

import os
import re
from pathlib import Path

from ocop_tracker.config import Defaults

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def test_env_example_documents_every_setting_with_a_comment():
    lines = (DEPLOY / "ocop.env.example").read_text(encoding="utf-8").splitlines()
    documented = {}
    for number, line in enumerate(lines):
        found = re.match(r"#?OCOP_([A-Z0-9_]+)=", line)
        if found:
            documented[found.group(1)] = lines[number - 1]
    settings = [name for name in vars(Defaults) if name.isupper()]
    assert [name for name in settings if name not in documented] == []
    for name in [*settings, "SECRET_KEY", "DATABASE_URL", "INSTANCE_PATH", "BASE_URL"]:
        comment = documented[name]
        assert comment.startswith("# ") and not comment.startswith(("# ---", "#OCOP_")), name


def test_every_flask_command_of_the_systemd_units_exists(app):
    commands = set(app.cli.list_commands(app.app_context())) | set(app.cli.commands)
    used = set()
    for unit in (DEPLOY / "systemd").glob("*.service"):
        used |= set(re.findall(r"venv/bin/flask ([a-z-]+)", unit.read_text()))
    assert {"send-mail", "daily", "send-summaries", "backup"} <= used
    assert sorted(used - commands) == []


def test_gunicorn_config_reads_the_environment_and_keeps_its_defaults(monkeypatch):
    def load() -> dict:
        namespace: dict = {}
        exec((DEPLOY / "gunicorn.conf.py").read_text(), namespace)  # noqa: S102  as gunicorn itself reads it
        return namespace

    monkeypatch.delenv("GUNICORN_WORKERS", raising=False)
    monkeypatch.delenv("GUNICORN_BIND", raising=False)
    defaults = load()
    assert defaults["workers"] == 2 * os.cpu_count() + 1 and defaults["bind"] == ["127.0.0.1:8000"]
    assert defaults["accesslog"] is None and defaults["preload_app"] is False
    assert defaults["wsgi_app"] == "ocop_tracker:create_app()" and defaults["timeout"] >= 60
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    monkeypatch.setenv("GUNICORN_BIND", "10.0.0.5:9000")
    configured = load()
    assert configured["workers"] == 3 and configured["bind"] == ["10.0.0.5:9000"]


def test_nginx_takes_the_largest_request_the_app_takes():
    site = (DEPLOY / "nginx" / "ocop-tracker.conf").read_text()
    megabytes = int(re.search(r"client_max_body_size (\d+)m;", site).group(1))
    assert megabytes * 1024 * 1024 > Defaults.MAX_CONTENT_LENGTH > Defaults.DOCUMENT_MAX_BYTES
    assert "Strict-Transport-Security" in site and "ssl_certificate " in site
    proxy = (DEPLOY / "nginx" / "ocop-proxy.conf").read_text()
    for header in ("X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host"):
        assert f"proxy_set_header {header} " in proxy
