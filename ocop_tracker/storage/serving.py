"""A stored file as a response: an attachment (or an inline preview) that the browser never runs."""
from __future__ import annotations

from flask import Response

from .setup import current_storage

# A served file is data, never a page: no script, no plugin, no form, shown only inside this site.
FILE_POLICY = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'"


def send_stored(name: str, *, mimetype: str, download_name: str, as_attachment: bool = True) -> Response:
    """The caller has checked the permission; FileNotFoundError when the file is not stored."""
    response = current_storage().open_response(name, mimetype=mimetype, download_name=download_name,
                                               as_attachment=as_attachment)
    response.headers["Content-Security-Policy"] = FILE_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
