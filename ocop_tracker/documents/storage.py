"""Files on disk: generated names under the instance folder, types judged by their own bytes."""
from __future__ import annotations

import secrets
import zipfile
from io import BytesIO
from pathlib import Path

from flask import current_app

# Leading bytes of the accepted formats; DOCX and XLSX are ZIPs told apart by their parts.
_SIGNATURES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)
_OOXML = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
}


def sniff_content_type(data: bytes) -> tuple[str, str] | None:
    """The (content type, extension) the bytes really are, or None when refused."""
    for magic, content_type, extension in _SIGNATURES:
        if data.startswith(magic):
            return content_type, extension
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", ".webp"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return None
        for prefix, found in _OOXML.items():
            if any(name.startswith(prefix) for name in names):
                return found
    return None


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
    return upload_folder() / stored_name
