"""Files on disk: generated names under the instance folder, types judged by their own bytes."""
from __future__ import annotations

import secrets
from pathlib import Path

from flask import abort, current_app, send_file

from .filetypes import ACCEPTED, DocumentRefused
from .validation import inspect_upload

# What the refusal message lists, and the file-name endings each stored extension may arrive with.
ACCEPTED_FORMATS = tuple(file_type.label for file_type in ACCEPTED)
SUFFIXES = {file_type.extension: file_type.suffixes for file_type in ACCEPTED}


def sniff_content_type(data: bytes) -> tuple[str, str] | None:
    """The (content type, extension) the bytes really are, judged by their structure, or None when refused."""
    try:
        found = inspect_upload(data, "", max_bytes=len(data))
    except DocumentRefused:
        return None
    return found.content_type, found.extension


def upload_folder() -> Path:
    folder = Path(current_app.instance_path) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def save_bytes(data: bytes, extension: str) -> str:
    """Write the bytes under a fresh random name and return that name."""
    stored_name = secrets.token_hex(16) + extension
    (upload_folder() / stored_name).write_bytes(data)
    return stored_name


def path_of(stored_name: str) -> Path:
    """Where a stored file lives; only a bare generated name is ever joined to the folder."""
    if Path(stored_name).name != stored_name or stored_name.startswith("."):
        raise ValueError(f"not a stored name: {stored_name!r}")
    return upload_folder() / stored_name


def delete_file(stored_name: str) -> None:
    """Remove a stored file that no row will point to (a refused or rolled-back upload)."""
    path_of(stored_name).unlink(missing_ok=True)


def preview_kind(content_type: str) -> str | None:
    """How a page may show a stored type inline: 'image', 'pdf', or None (download only)."""
    if content_type.startswith("image/"):
        return "image"
    return "pdf" if content_type == "application/pdf" else None


# A served file is data, never a page: no script, no plugin, no form, shown only inside this site.
FILE_POLICY = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'"


def send_document(document, *, as_attachment: bool):
    """The stored bytes of a document version (the caller has checked the permission)."""
    path = path_of(document.stored_name)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=document.content_type, as_attachment=as_attachment,
                         download_name=document.filename)
    response.headers["Content-Security-Policy"] = FILE_POLICY
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
