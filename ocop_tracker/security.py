"""Response headers every page carries: a strict CSP, no sniffing, no framing by other sites, HSTS when set."""
from __future__ import annotations

from flask import Flask, Response

from .deployment import whole_number_setting

# Everything is served by the app itself (Bootstrap included); inline scripts are not allowed.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; frame-src 'self'; frame-ancestors 'self'; base-uri 'self'; form-action 'self'"
)


def _secure_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if response.mimetype == "text/html":
        response.headers.setdefault("Cache-Control", "no-store")  # signed-in pages stay off shared caches
    return response


def _strict_transport(max_age: int):
    value = f"max-age={max_age}; includeSubDomains"

    def add_header(response: Response) -> Response:
        response.headers.setdefault("Strict-Transport-Security", value)
        return response
    return add_header


def register(app: Flask) -> None:
    app.after_request(_secure_headers)
    max_age = whole_number_setting(app, "HSTS_SECONDS")
    if max_age:  # browsers then refuse plain HTTP to this host (and its subdomains) for that long
        app.after_request(_strict_transport(max_age))
