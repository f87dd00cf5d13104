"""Error pages in the reader's language; a refused CSRF token is a clear message, never a crash."""
from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Flask, Response, current_app, g, render_template, request
from flask.sansio.app import App
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from .commit_point import said
from .extensions import db
from .logging_setup import current_request_id
from .refusals import Refusal

log = logging.getLogger(__name__)
# Refusals under these paths are logged, so an office can see who probed which dossier, document or decision.
WATCHED_PATHS = ("/dossiers/", "/decisions", "/api/v1/dossiers", "/api/v1/decisions")
DENIALS = (403, 404)
# A package that answers its errors its own way under a path prefix: (status, message, headers) -> response.
ErrorAnswer = Callable[[int, str, dict], Response]
_ANSWERS = "ocop_error_answers"


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Yêu cầu không hợp lệ"), _("Dữ liệu gửi lên không đọc được. Vui lòng thử lại.")),
        403: (_("Không được phép"), _("Bạn không có quyền thực hiện thao tác này.")),
        404: (_("Không tìm thấy"), _("Trang hoặc hồ sơ này không tồn tại, hoặc bạn không có quyền xem.")),
        405: (_("Thao tác không hợp lệ"), _("Trang này không nhận cách gửi yêu cầu đó.")),
        409: (_("Xung đột dữ liệu"), _("Hồ sơ vừa được người khác thay đổi. Vui lòng tải lại trang.")),
        413: (_("Tệp quá lớn"), _("Tệp hoặc biểu mẫu gửi lên vượt quá giới hạn cho phép.")),
        422: (_("Không thực hiện được"), _("Không thể thực hiện thao tác.")),
        429: (_("Quá nhiều yêu cầu"), _("Vui lòng chờ một lát rồi thử lại.")),
        500: (_("Lỗi hệ thống"), _("Đã có lỗi xảy ra; không có thay đổi nào được lưu. Vui lòng thử lại sau.")),
    }


def is_api_request() -> bool:
    """API paths answer in JSON, unknown ones (no blueprint matched) included."""
    return request.blueprint == "api" or request.path.startswith("/api/")


def answer_errors_under(app: App, prefix: str, answer: ErrorAnswer) -> None:
    """Let a package answer every error under its path prefix, unknown paths included (the API: in JSON)."""
    app.extensions.setdefault(_ANSWERS, {})[prefix] = answer


def kept_headers(error: HTTPException) -> dict:
    """What the refusal itself says beside its body (a 405's Allow, a 401's challenge, a 429's Retry-After)."""
    return {name: value for name, value in error.get_headers() if name.lower() != "content-type"}


def render_error(status: int, message: str | None = None, headers: dict | None = None):
    title, text = _messages().get(status, (str(status), ""))
    for prefix, answer in current_app.extensions.get(_ANSWERS, {}).items():
        if request.path.startswith(prefix):
            return answer(status, message or text, headers or {})
    page = render_template("errors/error.html", status=status, title=title, message=message or text,
                           request_id=current_request_id())
    return page, status, headers or {}


def _http_error(error: HTTPException):
    return render_error(error.code or 500, headers=kept_headers(error))


def _requester_id() -> int | None:
    """The signed-in user (web) or the token's user (API); None for an anonymous caller."""
    api_user = g.get("api_user")
    if api_user is not None:
        return api_user.id
    return current_user.id if current_user and current_user.is_authenticated else None


def _log_denial(response: Response) -> Response:
    """Every refusal of a dossier, document or decision, whichever handler wrote it; the path has no query string."""
    if response.status_code in DENIALS and request.path.startswith(WATCHED_PATHS):
        log.warning("denied %s %s %s to user %s", response.status_code, request.method, request.path[:200],
                    _requester_id())
    return response


def _csrf_error(error: CSRFError):
    return render_error(400, _("Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. Vui lòng tải lại trang và thử lại."))


def _refused(error: Refusal):
    """A refusal no view said on its page (commit_point.saved does): nothing half-written, its status, its sentence;
    a 403 or 404 says nothing of what exists."""
    db.session.rollback()
    return render_error(error.status, None if error.status in DENIALS else said(error), error.headers)


def _unexpected(error: Exception):
    db.session.rollback()  # nothing half-written survives an unexpected failure
    log.exception("unhandled error on %s %s", request.method, request.path)
    return render_error(500)


def register(app: Flask) -> None:
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Refusal, _refused)
    app.after_request(_log_denial)
    if not app.testing:
        app.register_error_handler(Exception, _unexpected)
