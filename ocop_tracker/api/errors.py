"""API errors are always JSON: {"error": {"code", "message", "details"}}, never an HTML page or a 500 for bad input."""
from __future__ import annotations

from flask import Blueprint, jsonify
from flask.blueprints import BlueprintSetupState
from werkzeug.exceptions import HTTPException

from ..errors import answer_errors_under, kept_headers
from ..extensions import db
from ..refusals import Refusal

# The machine word for each HTTP status the API answers with.
STATUS_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
                422: "unprocessable", 429: "too_many_requests"}


class ApiError(Refusal):
    """A refusal only the API makes (a malformed body, a missing token): status, machine word, sentence, details."""

    def __init__(self, status: int, code: str, message: str, details: dict | None = None,
                 headers: dict | None = None):
        super().__init__(message, details, code=code, status=status, headers=headers)


def error_response(status: int, code: str, message: str, details: dict | None = None, headers: dict | None = None):
    response = jsonify({"error": {"code": code, "message": message, "details": details or {}}})
    response.status_code = status
    response.headers.update(headers or {})
    return response


def _refusal(error: Refusal):
    """Every family's refusal, the same way: nothing half-written, then the contract's error body."""
    db.session.rollback()
    return error_response(error.status, error.code, error.message, error.details, error.headers)


def _http_error(error: HTTPException):
    status = error.code or 500
    return error_response(status, STATUS_CODES.get(status, "error"), error.description or error.name,
                          headers=kept_headers(error))


def _answer(status: int, message: str, headers: dict):
    """Any error under /api/, a path no route knows included, in the API's shape."""
    return error_response(status, STATUS_CODES.get(status, "error"), message, headers=headers)


def _answer_under_api(state: BlueprintSetupState) -> None:
    answer_errors_under(state.app, "/api/", _answer)


def register(bp: Blueprint) -> None:
    bp.record_once(_answer_under_api)
    bp.register_error_handler(Refusal, _refusal)
    bp.register_error_handler(HTTPException, _http_error)
