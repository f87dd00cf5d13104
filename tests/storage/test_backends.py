"""Documents and decision PDFs through the real app on each backend: what is uploaded downloads byte for byte."""
from __future__ import annotations

import io
import os

import pytest

from ocop_tracker.documents.models import Document
from ocop_tracker.extensions import db
from ocop_tracker.storage import FILE_POLICY, current_storage, send_stored

from ..documents.helpers import PDF, documents_of, upload
from ..factories import new_dossier
from .helpers import SIGNED, api_call, decision_with_file, noise_png, remove_storage


def _safe_attachment(response, name_part: str) -> None:
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == FILE_POLICY
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "private, no-store"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment") and name_part in disposition


def test_page_upload_downloads_the_same_bytes(app, world, login_as, app_config):
    dossier = new_dossier(world, documents=False)
    db.session.commit()
    client = login_as("producer")
    picture = noise_png()
    assert upload(client, dossier, name="nhãn.png", data=picture, kind="label").status_code == 302
    (document,) = documents_of(dossier)
    download = client.get(f"/dossiers/{dossier.id}/documents/{document.id}/file")
    _safe_attachment(download, "nh%C3%A3n.png")
    assert download.data == picture and int(download.headers["Content-Length"]) == len(picture)
    assert download.mimetype == "image/png" and current_storage().get(document.stored_name) == picture
    inline = client.get(f"/dossiers/{dossier.id}/documents/{document.id}/inline")
    assert inline.data == picture and inline.headers["Content-Disposition"].startswith("inline")


def test_api_upload_downloads_the_same_bytes(app, world, client):
    dossier = new_dossier(world, documents=False)
    db.session.commit()
    created = api_call(client, "producer", "POST", f"/dossiers/{dossier.id}/documents",
                       data={"kind": "business_licence", "file": (io.BytesIO(PDF), "giấy phép.pdf")})
    assert created.status_code == 201
    download = api_call(client, "producer", "GET", f"/dossiers/{dossier.id}/documents/{created.json['id']}/file")
    _safe_attachment(download, ".pdf")
    assert download.data == PDF
    stored = db.session.get(Document, created.json["id"]).stored_name
    assert current_storage().exists(stored) and current_storage().get(stored) == PDF


def test_decision_pdf_downloads_the_same_bytes_on_the_page_and_the_api(app, world, client, login_as):
    decision = decision_with_file(world, client)
    assert current_storage().get(decision.file_stored_name) == SIGNED
    by_api = api_call(client, "producer", "GET", f"/decisions/{decision.id}/file")
    by_page = login_as("province_officer").get(f"/decisions/{decision.id}/file")
    for response in (by_api, by_page):
        _safe_attachment(response, "q%C4%91%2012.pdf")
        assert response.data == SIGNED and response.mimetype == "application/pdf"


def test_a_file_missing_from_storage_is_a_404(app, world, client, login_as):
    decision = decision_with_file(world, client)
    dossier = new_dossier(world)
    db.session.commit()
    document = documents_of(dossier)[0]
    for name in (decision.file_stored_name, document.stored_name):
        current_storage().delete(name)
        assert not current_storage().exists(name)
    refused = api_call(client, "province_officer", "GET", f"/decisions/{decision.id}/file")
    assert refused.status_code == 404 and refused.json["error"]["code"] == "file_not_found"
    assert login_as("province_officer").get(f"/decisions/{decision.id}/file").status_code == 404
    assert login_as("producer").get(f"/dossiers/{dossier.id}/documents/{document.id}/file").status_code == 404


def test_a_stored_file_is_served_as_a_stream(app):
    data = os.urandom(5 * 1024 * 1024)
    current_storage().put("big.bin", data)
    with app.test_request_context():
        response = send_stored("big.bin", mimetype="application/octet-stream", download_name="big.bin")
        assert response.is_streamed and response.content_length == len(data)
        assert b"".join(response.response) == data
        response.close()


def test_get_exists_and_delete_of_a_missing_name(app):
    storage = current_storage()
    with pytest.raises(FileNotFoundError):
        storage.get("0" * 32 + ".pdf")
    assert not storage.exists("0" * 32 + ".pdf")
    storage.delete("0" * 32 + ".pdf")  # nothing to delete is no error
    storage.put("a.pdf", b"one")
    storage.put("a.pdf", b"two")  # a put replaces
    assert storage.get("a.pdf") == b"two" and [name for name, _ in storage.names()] == ["a.pdf"]


def test_only_a_bare_generated_name_is_accepted(app):
    storage = current_storage()
    for name in ("../secret_key", "sub/x.pdf", "/etc/passwd", ".hidden", "", "a\\b", "a\nb", "x" * 81):
        for use in (lambda stored: storage.put(stored, b"x"), storage.get, storage.exists, storage.delete):
            with pytest.raises(ValueError, match="not a stored name"):
                use(name)
    assert list(storage.names()) == []


def test_ping_passes_then_fails_when_the_storage_is_gone(app, app_config, request):
    storage = current_storage()
    storage.ping()
    remove_storage(app_config, request)
    with pytest.raises(Exception, match="does not exist|Not Found|404|NoSuchBucket"):
        storage.ping()
