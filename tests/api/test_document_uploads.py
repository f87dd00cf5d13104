"""POST /api/v1/dossiers/{id}/documents judges the file by its structure and the quotas: the contract's error body
with 415, 413 or 422, never a 500, and nothing stored."""
from __future__ import annotations

from io import BytesIO

import pytest

from ocop_tracker.documents.samples import minimal_docx, minimal_image, minimal_pdf, minimal_xlsx
from ocop_tracker.extensions import db

from ..documents.crafted import HTML, bad_utf8_zip, zipped
from ..factories import PDF, new_dossier
from . import test_dossier_errors
from .test_dossier_errors import refused, stored_documents

api = test_dossier_errors.api  # the error tests' fixture: pytest finds it here under this name


def send(api, dossier_id: int, data: bytes, name: str, kind: str = "label"):
    return api("producer", "POST", f"/dossiers/{dossier_id}/documents",
               data={"kind": kind, "file": (BytesIO(data), name)})


@pytest.mark.parametrize("name, data, code, details", [
    ("tệp.pdf", b"%PDF-1.7\n" + HTML, "damaged_file", {"format": "PDF"}),
    ("ảnh.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + HTML, "damaged_file", {"format": "JPEG"}),
    ("tệp.docx", zipped({"word/document.xml": "<w:document/>", "payload.exe": b"MZ"}), "unsafe_file",
     {"format": "DOCX/XLSX", "reason": "executable"}),
    ("tệp.docx", bad_utf8_zip(), "damaged_file", {"format": "DOCX/XLSX"}),
    ("tệp.docx", minimal_docx(extra_parts={"word/vbaProject.bin": b"\xd0\xcf"}), "unsafe_file",
     {"format": "DOCX/XLSX", "reason": "macro"}),
    ("tệp.docx", minimal_xlsx(), "name_mismatch", {"declared": ".docx", "format": "XLSX"}),
])
def test_upload_of_a_disguised_or_damaged_file_is_a_415(app, world, api, name, data, code, details):
    dossier = new_dossier(world, documents=False)
    db.session.commit()
    assert refused(send(api, dossier.id, data, name), 415, code) == details
    assert stored_documents(app) == (0, [])


@pytest.mark.parametrize("name, data", [("hồ sơ.pdf", minimal_pdf()), ("ảnh.webp", minimal_image("WEBP")),
                                        ("bảng.xlsx", minimal_xlsx()), ("thuyết minh.docx", minimal_docx())])
def test_upload_of_a_real_file_is_a_201(world, api, name, data):
    dossier = new_dossier(world, documents=False)
    db.session.commit()
    response = send(api, dossier.id, data, name)
    assert response.status_code == 201 and response.get_json()["filename"] == name


def test_upload_past_the_versions_limit_is_a_422(app, world, api):
    app.config["DOCUMENT_MAX_VERSIONS"] = 1
    dossier = new_dossier(world, documents=False)
    db.session.commit()
    assert send(api, dossier.id, PDF, "nhãn.pdf").status_code == 201
    details = refused(send(api, dossier.id, minimal_pdf("v2"), "nhãn.pdf"), 422, "too_many_versions")
    assert details == {"kind": "label", "versions": 1, "max_versions": 1}
    assert stored_documents(app)[0] == 1 and len(stored_documents(app)[1]) == 1


@pytest.mark.parametrize("setting, code", [("DOSSIER_MAX_BYTES", "dossier_quota"),
                                           ("ORGANISATION_MAX_BYTES", "organisation_quota")])
def test_upload_past_a_bytes_limit_is_a_413(app, world, api, setting, code):
    app.config[setting] = len(PDF) + 10
    dossier = new_dossier(world, documents=False)
    db.session.commit()
    assert send(api, dossier.id, PDF, "nhãn.pdf").status_code == 201
    details = refused(send(api, dossier.id, PDF, "ảnh.pdf", kind="photo"), 413, code)
    assert details == {"used_bytes": len(PDF), "file_bytes": len(PDF), "max_bytes": len(PDF) + 10}
    assert stored_documents(app)[0] == 1 and len(stored_documents(app)[1]) == 1
