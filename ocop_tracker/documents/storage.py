"""Documents' files: types judged by their own bytes, kept and served through the storage backend."""
from __future__ import annotations

from flask import abort

from ..storage import send_stored
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


def preview_kind(content_type: str) -> str | None:
    """How a page may show a stored type inline: 'image', 'pdf', or None (download only)."""
    if content_type.startswith("image/"):
        return "image"
    return "pdf" if content_type == "application/pdf" else None


def send_document(document, *, as_attachment: bool):
    """The stored bytes of a document version (the caller has checked the permission)."""
    try:
        return send_stored(document.stored_name, mimetype=document.content_type, as_attachment=as_attachment,
                           download_name=document.filename)
    except FileNotFoundError:
        abort(404)
