"""Small real files of every accepted type, for the demo data and the tests (the upload checks their structure)."""
from __future__ import annotations

import zipfile
from io import BytesIO

from openpyxl import Workbook
from PIL import Image
from pypdf import PdfWriter

_WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/word/document.xml" ContentType="{_WORD}"/></Types>')
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="word/document.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>')
_DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>')


def minimal_pdf(title: str = "OCOP") -> bytes:
    """A one-page blank PDF; a different title gives different bytes."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def minimal_image(image_format: str = "PNG", size: tuple[int, int] = (4, 3)) -> bytes:
    """A small green picture in JPEG, PNG or WEBP."""
    buffer = BytesIO()
    Image.new("RGB", size, (40, 140, 60)).save(buffer, format=image_format)
    return buffer.getvalue()


def minimal_docx(text: str = "OCOP", extra_parts: dict[str, bytes | str] | None = None) -> bytes:
    """A Word document of one paragraph; `extra_parts` adds entries (the tests build bad packages with it)."""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", _CONTENT_TYPES)
        package.writestr("_rels/.rels", _RELS)
        package.writestr("word/document.xml", _DOCUMENT.format(text=text))
        for name, data in (extra_parts or {}).items():
            package.writestr(name, data)
    return buffer.getvalue()


def minimal_xlsx(value: str = "OCOP") -> bytes:
    """An Excel workbook of one cell, as openpyxl writes it."""
    workbook = Workbook()
    workbook.active["A1"] = value
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
