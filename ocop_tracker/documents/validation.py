"""Is an upload what it says it is? A pure check of the bytes and the name they came with, no Flask, no database.

A file is judged by its structure, not only its leading bytes: a PDF must parse, a picture must decode, a Word or
Excel file must be a sound package of its type. Anything a parser cannot read is refused, never an error.
"""
from __future__ import annotations

import re
import unicodedata
from io import BytesIO

from PIL import Image
from pypdf import PdfReader

from .filetypes import ACCEPTED, JPEG, PDF, PNG, WEBP, DocumentRefused, FileType, damaged, unsafe
from .packages import package_type

_PICTURES = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}  # Pillow's name of each format
# Decoding a bigger picture takes hundreds of megabytes: a "decompression bomb" in a small file.
MAX_IMAGE_PIXELS = 50_000_000


def inspect_upload(data: bytes, filename: str, *, max_bytes: int) -> FileType:
    """The accepted type the bytes really are; raises DocumentRefused (and nothing else) for any other file."""
    if not data:
        raise DocumentRefused("empty_file", "the file is empty")
    if len(data) > max_bytes:
        raise DocumentRefused("too_large", f"the file is larger than {max_bytes} bytes", {"max_bytes": max_bytes})
    claimed = _claimed_type(data)
    try:
        found = _checked(data, claimed)
    except DocumentRefused:
        raise
    except Exception as error:  # any parser failure on outside bytes means the file is not what it claims to be
        raise damaged(claimed.label if claimed else "DOCX/XLSX") from error
    _check_name(filename, found)
    return found


def _claimed_type(data: bytes) -> FileType | None:
    """The format the leading bytes announce (None: a ZIP, told apart by its parts); refuses every other file."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data.startswith(b"PK\x03\x04"):
        return None
    raise DocumentRefused("unsupported_type", f"only {', '.join(t.label for t in ACCEPTED)} files are accepted",
                          {"accepted": [t.label for t in ACCEPTED]})


def _checked(data: bytes, claimed: FileType | None) -> FileType:
    if claimed is None:
        return package_type(data)
    if claimed is PDF:
        _check_pdf(data)
    else:
        _check_picture(data, claimed)
    return claimed


def _check_pdf(data: bytes) -> None:
    """A strict parse with at least one page, and nothing after the end marker (where a second file would hide)."""
    reader = PdfReader(BytesIO(data), strict=True)
    if len(reader.pages) < 1 or data[data.rindex(b"%%EOF") + 5:].strip(b" \t\r\n\f\x00"):
        raise damaged(PDF.label)


def _check_picture(data: bytes, claimed: FileType) -> None:
    """Open as its own format only, verify, then decode it whole (verify() leaves the image unusable)."""
    formats = [_PICTURES[claimed]]
    too_big = unsafe(claimed.label, "too_many_pixels", "the picture is too large to open")
    try:
        image = Image.open(BytesIO(data), formats=formats)
    except Image.DecompressionBombError as error:  # Pillow's own bar, far above ours
        raise too_big from error
    with image:
        if image.width * image.height > MAX_IMAGE_PIXELS:
            raise too_big
        image.verify()
    with Image.open(BytesIO(data), formats=formats) as image:
        image.load()


def display_name(filename: str) -> str:
    """The last component of the sender's name, printable, without leading or trailing dots and spaces."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(ch for ch in unicodedata.normalize("NFC", name) if ch.isprintable()).strip(" .")


_SUFFIX = re.compile(r"\.([A-Za-z0-9]{1,5})$")


def declared_suffix(filename: str) -> str | None:
    """The ending the name declares (".pdf"), if it has one; "Báo cáo v1.2" has none."""
    match = _SUFFIX.search(display_name(filename))
    if match is None or match.group(1).isdigit():
        return None
    return "." + match.group(1).lower()


def _check_name(filename: str, found: FileType) -> None:
    suffix = declared_suffix(filename)
    if suffix is not None and suffix not in found.suffixes:
        raise DocumentRefused("name_mismatch", f"the name ends in {suffix} but the file is {found.label}",
                              {"declared": suffix, "format": found.label})
