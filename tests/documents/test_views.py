"""Document pages: upload versions, download as attachments, preview safely, the officer's checks."""
from __future__ import annotations

import re
from urllib.parse import unquote

from ocop_tracker.documents.samples import minimal_pdf
from ocop_tracker.documents.services import current_documents, upload_document
from ocop_tracker.extensions import db
from ocop_tracker.storage import current_storage

from .. import factories
from ..factories import dossier_in_state, fire, new_dossier
from .helpers import PDF, PNG, check_count, documents_of, docx_bytes, upload

PDF_V2 = minimal_pdf("v2")
VIETNAMESE_NAME = "Giấy chứng nhận ĐKKD – Hợp tác xã Đồng Tâm.pdf"


def _stored_bytes(app, document) -> bytes:
    return current_storage().get(document.stored_name)


def test_upload_creates_version_1_then_2_keeping_the_old(app, world, login_as, stored_files):
    dossier = new_dossier(world, documents=False)
    db.session.commit()
    client = login_as("producer")
    first = upload(client, dossier, name="lần 1.pdf", data=PDF, issuer="Sở KH&ĐT Hòa Bình",
                   valid_until="2027-12-31")
    assert first.status_code == 302
    assert first.location.endswith(f"/dossiers/{dossier.id}/documents#kind-business_licence")
    second = upload(client, dossier, name="lần 2.pdf", data=PDF_V2)
    assert second.status_code == 302
    old, new = documents_of(dossier, "business_licence")
    assert (old.version, new.version) == (1, 2) and (old.issuer, new.issuer) == ("Sở KH&ĐT Hòa Bình", None)
    assert old.valid_until.isoformat() == "2027-12-31" and new.uploaded_by == world["producer"]
    assert _stored_bytes(app, old) == PDF and _stored_bytes(app, new) == PDF_V2
    assert stored_files() == {old.stored_name, new.stored_name}
    assert all(re.fullmatch(r"[0-9a-f]{32}\.pdf", name) for name in stored_files())
    page = client.get(f"/dossiers/{dossier.id}/documents").get_data(as_text=True)
    assert "lần 2.pdf" in page and "lần 1.pdf" in page and 'data-version="1"' in page
    assert "Đã tải lên" in page and 'enctype="multipart/form-data"' in page


def test_index_lists_every_checklist_kind_with_its_status(world, login_as):
    dossier = new_dossier(world)
    db.session.commit()
    page = login_as("producer").get(f"/dossiers/{dossier.id}/documents").get_data(as_text=True)
    for kind in current_documents(dossier):
        assert f'id="kind-{kind}"' in page
    assert 'data-status="completed"' in page and 'name="file"' in page


def test_index_kind_in_the_link_preselects_the_upload_kind(world, login_as):
    dossier = new_dossier(world, documents=False)
    db.session.commit()
    page = login_as("producer").get(f"/dossiers/{dossier.id}/documents?kind=label").get_data(as_text=True)
    assert '<option selected value="label">' in page


def test_download_is_an_attachment_with_the_bytes_and_vietnamese_name(app, world, login_as):
    dossier = new_dossier(world, documents=False)
    db.session.commit()
    client = login_as("producer")
    upload(client, dossier, name=VIETNAMESE_NAME)
    document = documents_of(dossier)[0]
    response = client.get(f"/dossiers/{dossier.id}/documents/{document.id}/file")
    assert response.status_code == 200 and response.data == PDF
    assert response.mimetype == "application/pdf" and response.headers["X-Content-Type-Options"] == "nosniff"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == VIETNAMESE_NAME == document.filename
    assert "sandbox" in response.headers["Content-Security-Policy"]


def test_officer_downloads_a_submitted_dossiers_document(world, login_as):
    dossier = dossier_in_state(world, "district_review")
    document = current_documents(dossier)["registration_form"]
    response = login_as("officer").get(f"/dossiers/{dossier.id}/documents/{document.id}/file")
    assert response.status_code == 200 and response.data == factories.PDF


def _with(world, data: bytes, name: str):
    dossier = new_dossier(world, documents=False)
    document = upload_document(dossier, actor=world["producer"], kind="photo", filename=name, data=data)
    db.session.commit()
    base = f"/dossiers/{dossier.id}/documents/{document.id}"
    return base


def test_preview_shows_an_image_inline_in_a_sandbox(world, login_as):
    base = _with(world, PNG, "ảnh.png")
    client = login_as("producer")
    page = client.get(f"{base}/preview").get_data(as_text=True)
    assert f'<img class="preview-image border" src="{base}/inline"' in page
    inline = client.get(f"{base}/inline")
    assert inline.status_code == 200 and inline.data == PNG and inline.mimetype == "image/png"
    assert inline.headers["Content-Disposition"].startswith("inline")
    policy = inline.headers["Content-Security-Policy"]
    assert policy.startswith("sandbox") and "default-src 'none'" in policy and "script-src" not in policy
    assert inline.headers["X-Content-Type-Options"] == "nosniff"


def test_preview_shows_a_pdf_in_a_frame(world, login_as):
    base = _with(world, PDF, "đơn.pdf")
    client = login_as("producer")
    assert f'<iframe class="preview-frame" src="{base}/inline"' in client.get(f"{base}/preview").get_data(as_text=True)
    inline = client.get(f"{base}/inline")
    assert inline.mimetype == "application/pdf" and "sandbox" in inline.headers["Content-Security-Policy"]


def test_preview_of_a_docx_offers_only_the_download(world, login_as):
    base = _with(world, docx_bytes(), "thuyết minh.docx")
    client = login_as("producer")
    page = client.get(f"{base}/preview").get_data(as_text=True)
    assert "/inline" not in page and f'href="{base}/file"' in page
    assert client.get(f"{base}/inline").status_code == 404
    assert client.get(f"{base}/file").mimetype.endswith("wordprocessingml.document")


def _check(client, dossier, document, **fields):
    data = {f"check-{document.id}-{name}": value for name, value in fields.items()}
    return client.post(f"/dossiers/{dossier.id}/documents/{document.id}/check", data=data)


def test_officer_check_needs_supplement_shows_by_the_item_after_return(world, login_as, client):
    dossier = dossier_in_state(world, "district_review")
    document = current_documents(dossier)["registration_form"]
    officer = login_as("officer")
    page = officer.get(f"/dossiers/{dossier.id}/documents").get_data(as_text=True)
    assert f'name="check-{document.id}-outcome"' in page and 'name="file"' not in page
    response = _check(officer, dossier, document, outcome="needs_supplement", note="Thiếu chữ ký và dấu đỏ")
    assert response.status_code == 302 and check_count() == 1
    fire(world, dossier, "return", "officer", comment="Bổ sung phiếu đăng ký")
    db.session.commit()
    client.post("/logout")
    show = login_as("producer").get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    item = show[show.index('data-kind="registration_form"'):]
    assert "Thiếu chữ ký và dấu đỏ" in item[:item.index("</li>")]


def test_officer_check_needs_supplement_without_note_refused(world, login_as):
    dossier = dossier_in_state(world, "district_review")
    document = current_documents(dossier)["registration_form"]
    officer = login_as("officer")
    response = _check(officer, dossier, document, outcome="needs_supplement", note="  ")
    assert response.status_code == 302 and check_count() == 0  # post/redirect/get
    page = officer.get(response.location).get_data(as_text=True)
    assert "Còn thiếu" in page and "Hãy ghi rõ nội dung cần bổ sung." in page


def test_officer_check_accepted_is_recorded(world, login_as):
    dossier = dossier_in_state(world, "vietgap")
    document = current_documents(dossier)["registration_form"]
    client = login_as("officer")
    assert _check(client, dossier, document, outcome="accepted").status_code == 302
    page = client.get(f"/dossiers/{dossier.id}/documents").get_data(as_text=True)
    assert 'data-check="accepted"' in page


def test_producer_uploads_during_vietgap(world, login_as):
    dossier = dossier_in_state(world, "vietgap")
    response = upload(login_as("producer"), dossier, kind="vietgap_certificate", name="VietGAP.pdf")
    assert response.status_code == 302 and documents_of(dossier, "vietgap_certificate")[0].version == 1
