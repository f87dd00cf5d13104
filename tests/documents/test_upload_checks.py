"""Through the documents page: polyglots, damaged containers and unsafe packages are a 415 saying why in Vietnamese,
the quotas a 413 or 422 saying which limit; nothing is stored by a refusal."""
from __future__ import annotations

import pytest

from ocop_tracker.documents.samples import minimal_docx, minimal_image, minimal_pdf
from ocop_tracker.dossiers.services import open_dossier
from ocop_tracker.extensions import db
from ocop_tracker.products.models import ProductSet
from ocop_tracker.products.services import create_product

from ..factories import new_dossier
from .crafted import HTML, bad_utf8_zip, zipped
from .helpers import PDF, documents_of, upload

# (name, bytes, what the page says)
REFUSED = [
    ("giấy phép.pdf", b"%PDF-1.7\n" + HTML, "Không mở được tệp PDF: tệp bị hỏng"),
    ("ảnh.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + HTML, "Không mở được tệp JPEG: tệp bị hỏng"),
    ("thuyết minh.docx", zipped({"word/document.xml": "<w:document/>", "payload.exe": b"MZ"}),
     "có chứa chương trình chạy được nên không được nhận"),
    ("thuyết minh.docx", bad_utf8_zip(), "Không mở được tệp DOCX/XLSX"),
    ("thuyết minh.docx", minimal_docx(extra_parts={"word/vbaProject.bin": b"\xd0\xcf"}), "có chứa macro"),
    ("thuyết minh.docx", minimal_docx(extra_parts={"word/zeros.xml": b"\x00" * (3 << 20)}), "khi mở ra quá lớn"),
    ("thuyết minh.docx", minimal_docx(extra_parts={"../x.xml": "<x/>"}), "cấu trúc bên trong không an toàn"),
    ("giấy phép.pdf", minimal_image("PNG"), "Tên tệp có đuôi .pdf nhưng nội dung là tệp PNG"),
]


@pytest.mark.parametrize("name, data, message", REFUSED)
def test_upload_of_a_disguised_or_damaged_file_is_a_415_saying_why(world, login_as, stored_files, name, data,
                                                                     message):
    dossier = new_dossier(world, documents=False)
    db.session.commit()
    response = upload(login_as("producer"), dossier, name=name, data=data)
    assert response.status_code == 415 and message in response.get_data(as_text=True)
    assert documents_of(dossier) == [] and stored_files() == set()


def test_upload_past_the_versions_limit_is_a_422_storing_nothing(app, world, login_as, stored_files):
    app.config["DOCUMENT_MAX_VERSIONS"] = 2
    dossier = new_dossier(world, documents=False)
    db.session.commit()
    client = login_as("producer")
    for number in (1, 2):
        assert upload(client, dossier, data=minimal_pdf(f"v{number}")).status_code == 302
    files = stored_files()
    response = upload(client, dossier, data=minimal_pdf("v3"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "đã có 2 phiên bản; mỗi loại tài liệu của hồ sơ được tối đa 2 phiên bản" in page
    assert len(documents_of(dossier)) == 2 and stored_files() == files
    assert upload(client, dossier, kind="label").status_code == 302  # another kind has its own count


def test_upload_past_the_dossier_bytes_limit_is_a_413_storing_nothing(app, world, login_as, stored_files):
    app.config["DOSSIER_MAX_BYTES"] = 2 * len(PDF) + 10
    dossier = new_dossier(world, documents=False)
    db.session.commit()
    client = login_as("producer")
    assert upload(client, dossier, kind="label").status_code == 302
    assert upload(client, dossier, kind="photo").status_code == 302
    files = stored_files()
    response = upload(client, dossier, kind="test_report")
    assert response.status_code == 413 and "sẽ vượt giới hạn" in response.get_data(as_text=True)
    assert "của một hồ sơ. Tệp chưa được lưu." in response.get_data(as_text=True)
    assert len(documents_of(dossier)) == 2 and stored_files() == files


def _dossier_of(world, who: str, name: str):
    product_set = db.session.scalar(db.select(ProductSet).filter_by(number=11))
    return open_dossier(create_product(actor=world[who], name=name, product_set=product_set), actor=world[who])


def test_upload_past_the_organisation_bytes_limit_is_a_413_counting_only_its_own_dossiers(
        app, world, login_as, stored_files):
    app.config["ORGANISATION_MAX_BYTES"] = 2 * len(PDF) + 10
    first, second = _dossier_of(world, "producer", "Chè Mỹ Tân"), _dossier_of(world, "producer", "Mật ong Mỹ Tân")
    other = _dossier_of(world, "other_producer", "Gạo nếp")
    db.session.commit()
    producer = login_as("producer")
    assert upload(producer, first, kind="label").status_code == 302
    assert upload(producer, second, kind="label").status_code == 302
    files = stored_files()
    response = upload(producer, second, kind="photo")
    assert response.status_code == 413 and "của một tổ chức" in response.get_data(as_text=True)
    assert len(documents_of(second)) == 1 and stored_files() == files
    assert upload(login_as("other_producer"), other, kind="label").status_code == 302  # another organisation's share
