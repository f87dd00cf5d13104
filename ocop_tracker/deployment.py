"""What a server needs beyond a laptop: logs, trusted proxies, error reporting, and a warning about BASE_URL."""
from __future__ import annotations

import logging
from importlib.metadata import PackageNotFoundError, version

from flask import Flask, current_app
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import Defaults
from .logging_setup import configure_logging, current_request_id

log = logging.getLogger(__name__)
SENTRY_MISSING = ("SENTRY_DSN is set but sentry-sdk is not installed: "
                  "pip install 'ocop-tracker[sentry]' (or unset OCOP_SENTRY_DSN)")


def configure(app: Flask) -> None:
    """Called by create_app once the settings are read, before anything else can log or serve."""
    configure_logging(app)
    trust_proxies(app)
    init_error_reporting(app)
    warn_about_default_base_url(app)


def whole_number_setting(app: Flask, name: str) -> int:
    value = app.config[name]
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise RuntimeError(f"{name} must be a whole number, 0 or more, not {value!r}")
    return value


def trust_proxies(app: Flask) -> None:
    """Behind PROXY_COUNT proxies, the client's address, scheme, host and port come from their X-Forwarded-* headers.

    With 0 (the default) those headers are ignored: anyone could write them, and the sign-in brake counts
    failures per address.
    """
    count = whole_number_setting(app, "PROXY_COUNT")
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count, x_port=count)  # type: ignore[method-assign]


def package_version() -> str:
    try:
        return version("ocop-tracker")
    except PackageNotFoundError:  # a bare checkout on sys.path, never installed
        return "unknown"


def init_error_reporting(app: Flask) -> None:
    """With SENTRY_DSN, unexpected errors go to Sentry or GlitchTip, tagged with the request id, without PII."""
    dsn = app.config["SENTRY_DSN"]
    if not dsn:
        return
    try:
        import sentry_sdk
        from sentry_sdk.integrations.flask import FlaskIntegration
    except ImportError as missing:
        raise RuntimeError(SENTRY_MISSING) from missing
    sentry_sdk.init(dsn=dsn, integrations=[FlaskIntegration()], send_default_pii=False,
                    environment=app.config["SENTRY_ENVIRONMENT"], release=f"ocop-tracker@{package_version()}")

    @app.before_request
    def _tag_request_id() -> None:
        sentry_sdk.set_tag("request_id", current_request_id())  # support finds the event a user quotes


def base_url_is_default(app: Flask) -> bool:
    """A real server (not debug, not tests) still on the laptop's BASE_URL: mail links and QR codes lead nowhere."""
    return app.config["BASE_URL"].rstrip("/") == Defaults.BASE_URL and not (app.debug or app.testing)


def warn_about_default_base_url(app: Flask) -> None:
    """The admin pages show a banner; the log says it once per server process, at its first request (not on
    every CLI command, where it would only be noise)."""
    warn = base_url_is_default(app)
    app.jinja_env.globals["base_url_is_default"] = warn
    if not warn:
        return
    said: list[bool] = []

    @app.before_request
    def _say_once() -> None:
        if not said:
            said.append(True)
            log.warning("BASE_URL is still the default %s: links in mails and QR codes point there. "
                        "Set OCOP_BASE_URL to the address users open (e.g. https://ocop.example.gov.vn).",
                        Defaults.BASE_URL)


def absolute_url(endpoint: str, **values) -> str:
    """A link for a mail or a QR code: BASE_URL and the route's path, built without a request (cron mails too)."""
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["BASE_URL"].rstrip("/") + path
