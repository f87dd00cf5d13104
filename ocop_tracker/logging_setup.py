"""Log lines as text or JSON on stderr, each carrying its request's id; one access line per request."""
from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, Response, g, has_request_context, request
from flask.logging import default_handler

REQUEST_ID_HEADER = "X-Request-ID"
# A proxy's or a client's id is kept only when it is plainly an id (nothing to smuggle into a log line).
INCOMING_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
LOG_FORMATS = ("text", "json")
# Load balancers probe these every few seconds: an access line only when one fails.
QUIET_PATHS = frozenset({"/healthz", "/readyz"})
# Endpoints whose address holds a secret: their log lines show the rule, never the address.
SECRET_PATH_ENDPOINTS = frozenset({"accounts.reset_password"})
CONTEXT_FIELDS = ("request_id", "method", "path", "status", "duration_ms", "remote_addr", "user_id")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
_ID_KEY, _STARTED_KEY = "ocop.request_id", "ocop.request_started"

access_log = logging.getLogger("ocop_tracker.access")


def current_request_id() -> str:
    """This request's id: a well-formed incoming X-Request-ID (the proxy's), else a new uuid4 hex."""
    environ = request.environ  # per request, even when tests reuse one app context (and so one `g`)
    if _ID_KEY not in environ:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        environ[_ID_KEY] = incoming if INCOMING_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
    return environ[_ID_KEY]


def loggable_path() -> str:
    """The request's path without its query string, a secret-bearing address as its rule."""
    if request.endpoint in SECRET_PATH_ENDPOINTS and request.url_rule is not None:
        return request.url_rule.rule
    return request.path[:300]


def _user_id() -> int | None:
    """The user this request already loaded (session or API token); a log line never loads one itself."""
    user = g.get("api_user") or g.get("_login_user")  # Flask-Login keeps the loaded user on g._login_user
    return user.id if user is not None and getattr(user, "is_authenticated", False) else None


class RequestContextFilter(logging.Filter):
    """Adds the request's id, method, path, address and user to every record written during a request."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context():
            record.request_id = current_request_id()
            record.method, record.path = request.method, loggable_path()
            record.remote_addr, record.user_id = request.remote_addr, _user_id()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the request's fields, the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
                 "level": record.levelname, "logger": record.name, "message": record.getMessage()}
        for name in CONTEXT_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (gunicorn and pytest replace it)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def configure_logging(app: Flask) -> None:
    """One stderr handler on the package's logger, in the configured format, however often create_app runs."""
    log_format = app.config["LOG_FORMAT"]
    if log_format not in LOG_FORMATS:
        raise RuntimeError(f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {log_format!r}")
    logger = logging.getLogger(app.import_name.split(".")[0])
    logger.removeHandler(default_handler)  # Flask's own, in case app.logger was touched first
    handler = next((h for h in logger.handlers if isinstance(h, StderrHandler)), None)
    if handler is None:
        handler = StderrHandler()
        handler.addFilter(RequestContextFilter())
        logger.addHandler(handler)
    handler.setFormatter(JsonFormatter() if log_format == "json" else
                         logging.Formatter(TEXT_FORMAT, defaults={"request_id": "-"}))
    logger.setLevel(logging.DEBUG if app.debug else logging.INFO)
    app.before_request(_start_request)
    app.after_request(_finish_request)


def _start_request() -> None:
    request.environ[_STARTED_KEY] = time.perf_counter()
    current_request_id()


def _finish_request(response: Response) -> Response:
    """The id goes back to the caller; the access line is written (a streamed body is timed to its start)."""
    response.headers[REQUEST_ID_HEADER] = current_request_id()
    if request.path not in QUIET_PATHS or response.status_code >= 400:
        started = request.environ.get(_STARTED_KEY, time.perf_counter())
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        access_log.info("%s %s %s %.1f ms (user %s, from %s)", request.method, loggable_path(),
                        response.status_code, duration_ms, _user_id() or "-", request.remote_addr,
                        extra={"status": response.status_code, "duration_ms": duration_ms})
    return response
