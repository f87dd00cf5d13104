"""Who reaches which document page, by guessed ids too, and hostile uploads that must leave nothing behind."""
from __future__ import annotations

import re

import pytest

from ocop_tracker.documents.services import current_documents
from ocop_tracker.extensions import db

from ..factories import dossier_in_state, new_dossier
from .helpers import EXE, HTML, PDF, TEXT, check_count, documents_of, upload

DOCUMENT_PAGES = ("/{doc}/file", "/{doc}/preview", "/{doc}/inline")


def _get_all(client, dossier_id: int, document_id: int, pages=("", *DOCUMENT_PAGES)) -> set[int]:
    return {client.get(f"/dossiers/{dossier_id}/documents" + page.format(doc=document_id)).status_code
            for page in pages}


def _post_all(client, dossier, document) -> set[int]:
    check = client.post(f"/dossiers/{dossier.id}/documents/{document.id}/check",
                        data={f"check-{document.id}-outcome": "accepted"})
    return {check.status_code, upload(client, dossier).status_code}


@pytest.mark.parametrize("who", ["other_producer", "other_officer", "district_chair"])
def test_other_organisation_or_unit_gets_404_everywhere(world, login_as, who):
    dossier = dossier_in_state(world, "star_rating")
    document = current_documents(dossier)["registration_form"]
    before = len(documents_of(dossier))
    client = login_as(who)
    assert _get_all(client, dossier.id, document.id) == {404}
    assert _post_all(client, dossier, document) == {404}
    assert len(documents_of(dossier)) == before and check_count() == 0


def test_officer_does_not_see_a_draft(world, login_as):
    dossier = new_dossier(world)
    db.session.commit()
    document = current_documents(dossier)["registration_form"]
    assert _get_all(login_as("officer"), dossier.id, document.id) == {404}


def test_document_of_another_dossier_under_an_own_dossier_id_is_404(world, login_as):
    own = new_dossier(world, name="Chè của tôi")
    foreign = dossier_in_state(world, "district_review")  # same organisation, another dossier
    db.session.commit()
    document = current_documents(foreign)["registration_form"]
    client = login_as("producer")
    assert _get_all(client, own.id, document.id, DOCUMENT_PAGES) == {404}
    assert client.get(f"/dossiers/{foreign.id}/documents/{document.id}/file").status_code == 200


def test_missing_document_id_is_404(world, login_as):
    dossier = new_dossier(world)
    db.session.commit()
    assert _get_all(login_as("producer"), dossier.id, 999999, DOCUMENT_PAGES) == {404}


def test_producer_cannot_check(world, login_as):
    dossier = dossier_in_state(world, "district_review")
    document = current_documents(dossier)["registration_form"]
    response = login_as("producer").post(f"/dossiers/{dossier.id}/documents/{document.id}/check",
                                         data={f"check-{document.id}-outcome": "accepted"})
    assert response.status_code == 403 and check_count() == 0


@pytest.mark.parametrize("who, state", [("officer", "district_review"), ("officer", "vietgap"),
                                        ("member", "star_rating"), ("admin", "draft"),
                                        ("producer", "district_review"), ("producer", "star_rating")])
def test_upload_refused_with_403(world, login_as, stored_files, who, state):
    dossier = dossier_in_state(world, state)
    before, files = len(documents_of(dossier)), stored_files()
    response = upload(login_as(who), dossier)
    assert response.status_code == 403
    assert len(documents_of(dossier)) == before and stored_files() == files


@pytest.mark.parametrize("name, data, status, message", [
    ("setup.pdf", EXE, 415, "Chỉ nhận: PDF, JPEG, PNG, WebP, DOCX, XLSX"),
    ("trang.pdf", HTML, 415, "Chỉ nhận"),
    ("ghi chú.pdf", TEXT, 415, "Chỉ nhận"),
    ("rỗng.pdf", b"", 400, "Tệp rỗng"),
    ("lớn.pdf", PDF + b"x" * 1024 * 1024, 413, "tối đa 1 MB"),
])
def test_hostile_upload_refused_leaving_nothing(app, world, login_as, stored_files, name, data, status, message):
    app.config["DOCUMENT_MAX_BYTES"] = 1024 * 1024
    dossier = new_dossier(world, documents=False)
    db.session.commit()
    response = upload(login_as("producer"), dossier, name=name, data=data)
    assert response.status_code == status and message in response.get_data(as_text=True)
    assert documents_of(dossier) == [] and stored_files() == set()


@pytest.mark.parametrize("csrf", [False, True])
def test_request_over_max_content_length_is_the_apps_413(app, world, login_as, stored_files, csrf):
    dossier = new_dossier(world, documents=False)
    db.session.commit()
    client = login_as("producer")
    # With CSRF on, the token check reads the body first: the refusal must still be the 413 page.
    app.config.update(MAX_CONTENT_LENGTH=4096, DOCUMENT_MAX_BYTES=2048, WTF_CSRF_ENABLED=csrf)
    response = upload(client, dossier, data=PDF + b"x" * 8192)
    body = response.get_data(as_text=True)
    assert response.status_code == 413 and "Tệp quá lớn: mỗi tệp tối đa" in body and "<html" in body
    assert documents_of(dossier) == [] and stored_files() == set()


def test_upload_without_a_file_keeps_the_form(world, login_as, stored_files):
    dossier = new_dossier(world, documents=False)
    db.session.commit()
    response = login_as("producer").post(f"/dossiers/{dossier.id}/documents",
                                         data={"kind": "label", "issuer": "Cục ATTP"})
    assert response.status_code == 400 and 'value="Cục ATTP"' in response.get_data(as_text=True)
    assert documents_of(dossier) == [] and stored_files() == set()


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "C:\\x\\y.pdf", "đ" * 1000 + ".pdf"])
def test_path_like_and_long_names_stored_under_a_generated_name(world, login_as, stored_files, name):
    dossier = new_dossier(world, documents=False)
    db.session.commit()
    client = login_as("producer")
    assert upload(client, dossier, name=name).status_code == 302
    (document,) = documents_of(dossier)
    # The exact cleaning is the service test's; here: no path survives the multipart parser and the service.
    assert not {"/", "\\"} & set(document.filename) and len(document.filename) <= 200
    assert document.filename.endswith(name[-5:]) and stored_files() == {document.stored_name}
    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", document.stored_name)
    response = client.get(f"/dossiers/{dossier.id}/documents/{document.id}/file")
    assert response.data == PDF and "/" not in response.headers["Content-Disposition"]
