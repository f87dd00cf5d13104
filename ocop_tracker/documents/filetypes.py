"""The accepted file formats and the refusal an upload gets when it is not one of them (or breaks a quota)."""
from __future__ import annotations

from dataclasses import dataclass

from ..workflow import WorkflowError

# The HTTP status each kind of refused upload is reported with.
REFUSAL_STATUS = {"empty_file": 400, "too_large": 413, "unsupported_type": 415, "damaged_file": 415,
                  "unsafe_file": 415, "name_mismatch": 415, "too_many_versions": 422, "dossier_quota": 413,
                  "organisation_quota": 413}


class DocumentRefused(WorkflowError):
    """An upload refused for what it is (or for a quota); `code` says why, `details` the facts behind it."""

    flash_category = "danger"

    def __init__(self, code: str, message: str, details: dict | None = None):
        super().__init__(message, details, code=code, status=REFUSAL_STATUS[code])


@dataclass(frozen=True)
class FileType:
    """An accepted format: its name for people, its content type, stored extension and the name endings it takes."""

    label: str
    content_type: str
    extension: str
    suffixes: tuple[str, ...]


PDF = FileType("PDF", "application/pdf", ".pdf", (".pdf",))
JPEG = FileType("JPEG", "image/jpeg", ".jpg", (".jpg", ".jpeg", ".jpe", ".jfif"))
PNG = FileType("PNG", "image/png", ".png", (".png",))
WEBP = FileType("WebP", "image/webp", ".webp", (".webp",))
DOCX = FileType("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx",
                (".docx",))
XLSX = FileType("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx", (".xlsx",))
ACCEPTED = (PDF, JPEG, PNG, WEBP, DOCX, XLSX)


def damaged(label: str) -> DocumentRefused:
    return DocumentRefused("damaged_file", f"the {label} file is damaged, truncated, encrypted or not really {label}",
                           {"format": label})


def unsafe(label: str, reason: str, message: str) -> DocumentRefused:
    return DocumentRefused("unsafe_file", f"the {label} file is refused: {message}", {"format": label, "reason": reason})
