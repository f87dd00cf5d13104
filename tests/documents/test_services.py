"""Document services: who may upload and check, which files are refused, and that a refusal leaves nothing."""
from __future__ import annotations

import pytest
from sqlalchemy.exc import StatementError

from ocop_tracker.documents.permissions import can_check_documents, can_upload_documents
from ocop_tracker.documents.samples import minimal_image
from ocop_tracker.documents.services import DocumentRefused, current_documents, record_document_check, upload_document
from ocop_tracker.extensions import db
from ocop_tracker.workflow import GuardFailed, NotPermitted, StaleVersion

from ..factories import dossier_in_state, new_dossier
from .helpers import EXE, HTML, PDF, PNG, TEXT, check_count, documents_of, docx_bytes

UPLOADERS = {"draft": True, "vietgap": True, "district_review": False, "returned": True, "star_rating": False,
             "certified": False, "upgrade": True, "withdrawn": False}


@pytest.mark.parametrize("state, allowed", UPLOADERS.items())
def test_can_upload_documents_only_own_producer_while_preparing(world, state, allowed):
    dossier = dossier_in_state(world, state)
    assert can_upload_documents(world["producer"], dossier) is allowed
    for other in ("other_producer", "officer", "admin", "chair", "province_officer"):
        assert not can_upload_documents(world[other], dossier)


@pytest.mark.parametrize("state, allowed", [("draft", False), ("vietgap", True), ("district_review", True),
                                            ("returned", False), ("star_rating", False)])
def test_can_check_documents_only_reviewing_officer_during_checks(world, state, allowed):
    dossier = dossier_in_state(world, state)
    assert can_check_documents(world["officer"], dossier) is allowed
    for other in ("producer", "other_officer", "admin", "chair"):
        assert not can_check_documents(world[other], dossier)


def _add(world, dossier, data, who="producer", name="tệp.pdf"):
    return upload_document(dossier, actor=world[who], kind="business_licence", filename=name, data=data)


@pytest.mark.parametrize("data, sniffed", [(PDF, "application/pdf"), (PNG, "image/png"),
                                           (minimal_image("JPEG"), "image/jpeg"),
                                           (minimal_image("WEBP"), "image/webp"),
                                           (docx_bytes(), ("application/vnd.openxmlformats-officedocument"
                                                           ".wordprocessingml.document"))])
def test_add_document_types_by_bytes(world, data, sniffed):
    document = _add(world, new_dossier(world, documents=False), data, name="không đuôi")
    assert document.content_type == sniffed and document.size == len(data)


@pytest.mark.parametrize("data, code", [(b"", "empty_file"), (EXE, "unsupported_type"),
                                        (HTML, "unsupported_type"), (TEXT, "unsupported_type"),
                                        (b"PK\x03\x04 not a zip", "damaged_file")])
def test_add_document_refused_leaves_nothing(world, stored_files, data, code):
    dossier = new_dossier(world, documents=False)
    with pytest.raises(DocumentRefused) as refused:
        _add(world, dossier, data)
    assert refused.value.code == code and refused.value.status in (400, 415)
    assert documents_of(dossier) == [] and stored_files() == set()


def test_add_document_over_the_configured_limit_is_too_large(app, world, stored_files):
    app.config["DOCUMENT_MAX_BYTES"] = len(PDF) - 1
    dossier = new_dossier(world, documents=False)
    with pytest.raises(DocumentRefused) as refused:
        _add(world, dossier, PDF)
    assert (refused.value.code, refused.value.status) == ("too_large", 413)
    assert documents_of(dossier) == [] and stored_files() == set()


@pytest.mark.parametrize("who", ["other_producer", "officer", "admin", "member"])
def test_add_document_by_another_user_not_permitted(world, stored_files, who):
    dossier = new_dossier(world, documents=False)
    with pytest.raises(NotPermitted):
        _add(world, dossier, PDF, who=who)
    assert stored_files() == set()


def test_add_document_after_submit_not_permitted(world):
    dossier = dossier_in_state(world, "district_review")
    with pytest.raises(NotPermitted):
        _add(world, dossier, PDF)


def test_add_document_failed_flush_removes_the_written_file(world, stored_files):
    dossier = new_dossier(world, documents=False)
    db.session.commit()
    with pytest.raises(StatementError):  # a text where a date belongs fails on SQLite and PostgreSQL alike
        upload_document(dossier, actor=world["producer"], kind="test_report", filename="kq.pdf", data=PDF,
                        valid_until="ngày mai")
    db.session.rollback()
    assert stored_files() == set() and documents_of(dossier) == []


@pytest.mark.parametrize("name, data, shown", [
    ("../../etc/passwd.pdf", PDF, "passwd.pdf"), ("C:\\x\\y.pdf", PDF, "y.pdf"), ("..", PDF, "document.pdf"),
    ("ảnh chụp", PNG, "ảnh chụp.png"), ("Báo cáo v1.2", PDF, "Báo cáo v1.2.pdf"), ("a\x00b\nc.PNG", PNG, "abc.PNG"),
    ("x" * 1000 + ".pdf", PDF, "x" * 196 + ".pdf"),
])
def test_add_document_display_name_cleaned_and_true_to_the_bytes(world, name, data, shown):
    document = _add(world, new_dossier(world, documents=False), data, name=name)
    assert document.filename == shown
    assert document.stored_name != shown and "/" not in document.stored_name


def _checkable(world):
    dossier = dossier_in_state(world, "district_review")
    return dossier, current_documents(dossier)["registration_form"]


def test_record_document_check_needs_supplement_requires_a_note(world):
    _dossier, document = _checkable(world)
    for note in ("", "   "):
        with pytest.raises(GuardFailed) as refused:
            record_document_check(document, actor=world["officer"], outcome="needs_supplement", note=note)
        assert refused.value.missing == ["note"]
    assert check_count() == 0
    check = record_document_check(document, actor=world["officer"], outcome="needs_supplement", note=" Thiếu dấu ")
    assert (check.outcome, check.note, check.checked_by) == ("needs_supplement", "Thiếu dấu", world["officer"])


@pytest.mark.parametrize("who", ["producer", "other_officer", "admin", "chair"])
def test_record_document_check_by_others_not_permitted(world, who):
    _dossier, document = _checkable(world)
    with pytest.raises(NotPermitted):
        record_document_check(document, actor=world[who], outcome="accepted")
    assert check_count() == 0


def test_record_document_check_unknown_outcome_refused(world):
    _dossier, document = _checkable(world)
    with pytest.raises(GuardFailed) as refused:
        record_document_check(document, actor=world["officer"], outcome="maybe")
    assert refused.value.missing == ["outcome"]


def test_record_document_check_on_an_older_version_is_stale(world):
    dossier = dossier_in_state(world, "vietgap")
    old = current_documents(dossier)["registration_form"]
    upload_document(dossier, actor=world["producer"], kind="registration_form", filename="mới.pdf", data=PDF)
    with pytest.raises(StaleVersion):
        record_document_check(old, actor=world["officer"], outcome="accepted")
    assert check_count() == 0


def test_vietgap_recorded_only_by_the_producer_while_preparing(world):
    from datetime import date

    from ocop_tracker.documents.services import record_vietgap
    from ocop_tracker.workflow import NotPermitted

    from ..factories import dossier_in_state

    dossier = dossier_in_state(world, "district_review")
    for who in ("officer", "producer"):  # an officer never; the producer not once the check has begun
        with pytest.raises(NotPermitted):
            record_vietgap(dossier, actor=world[who], certificate_no="VG", issuer="VIETCERT",
                           issued_on=date(2026, 1, 1), valid_until=date(2028, 1, 1))
