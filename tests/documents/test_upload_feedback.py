"""Upload feedback: the limit beside the file field, the browser-side check's data, and the script's JSON answers."""
from __future__ import annotations

import io
import re

from ocop_tracker.extensions import db

from ..factories import new_dossier
from .helpers import EXE, PDF, documents_of

SCRIPT = {"X-Requested-With": "XMLHttpRequest"}


def _send(client, dossier, data: bytes = PDF, kind: str = "label", headers=SCRIPT):
    return client.post(f"/dossiers/{dossier.id}/documents", content_type="multipart/form-data", headers=headers,
                       data={"kind": kind, "file": (io.BytesIO(data), "nhãn.pdf")})


def test_upload_form_shows_the_limit_by_the_file_field_and_loads_the_script(app, world, login_as):
    dossier = new_dossier(world, documents=False)
    db.session.commit()
    page = login_as("producer").get(f"/dossiers/{dossier.id}/documents").get_data(as_text=True)
    assert re.search(r'name="file"[^>]*aria-describedby="file-help"|aria-describedby="file-help"[^>]*name="file"', page)
    assert '<div class="form-text" id="file-help">Mỗi tệp tối đa 20 MB.</div>' in page
    assert f'data-max-bytes="{app.config["DOCUMENT_MAX_BYTES"]}"' in page
    assert 'data-too-large="Tệp quá lớn: mỗi tệp tối đa 20 MB."' in page
    assert '<script src="/static/uploads.js" defer></script>' in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)  # no inline script: the CSP allows only the site's files
    assert "<progress" in page and 'enctype="multipart/form-data"' in page  # the plain post still works


def test_upload_script_is_served_under_the_policy(client):
    response = client.get("/static/uploads.js")
    assert response.status_code == 200 and "javascript" in response.mimetype
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert b"XMLHttpRequest" in response.data and b"dataset.maxBytes" in response.data


def test_upload_from_the_script_answers_where_to_go_and_keeps_the_flash(world, login_as):
    dossier = new_dossier(world, documents=False)
    db.session.commit()
    client = login_as("producer")
    response = _send(client, dossier)
    assert response.status_code == 200
    assert response.json == {"location": f"/dossiers/{dossier.id}/documents#kind-label"}
    assert [d.kind for d in documents_of(dossier)] == ["label"]
    assert "Đã tải lên: Nhãn sản phẩm." in client.get(f"/dossiers/{dossier.id}/documents").get_data(as_text=True)


def test_upload_refused_from_the_script_says_why_without_a_flash(world, login_as, stored_files):
    dossier = new_dossier(world, documents=False)
    db.session.commit()
    client = login_as("producer")
    response = _send(client, dossier, data=EXE)
    assert response.status_code == 415 and response.json["error"].startswith("Loại tệp không được chấp nhận")
    assert documents_of(dossier) == [] and stored_files() == set()
    assert "Loại tệp không được chấp nhận" not in client.get(f"/dossiers/{dossier.id}/documents").get_data(as_text=True)


def test_upload_without_a_file_from_the_script_is_a_400_with_the_message(world, login_as):
    dossier = new_dossier(world, documents=False)
    db.session.commit()
    response = login_as("producer").post(f"/dossiers/{dossier.id}/documents", headers=SCRIPT,
                                         data={"kind": "label"})
    assert response.status_code == 400 and response.json == {"error": "Hãy chọn tệp cần tải lên."}


def test_upload_too_large_from_the_script_is_a_413_with_the_limit(app, world, login_as):
    app.config["DOCUMENT_MAX_BYTES"] = len(PDF) - 1
    dossier = new_dossier(world, documents=False)
    db.session.commit()
    response = _send(login_as("producer"), dossier)
    assert response.status_code == 413 and response.json["error"].startswith("Tệp quá lớn")
    assert documents_of(dossier) == []
