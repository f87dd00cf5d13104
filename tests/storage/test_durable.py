"""Uploads are stored before their row commits, durably, and a transaction that does not commit leaves no file."""
from __future__ import annotations

import pytest
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError

from ocop_tracker.decisions.services import attach_decision_file
from ocop_tracker.documents.models import Document
from ocop_tracker.documents.services import upload_document
from ocop_tracker.extensions import db
from ocop_tracker.storage import current_storage

from ..documents.helpers import PDF, documents_of
from ..factories import new_dossier
from .helpers import SIGNED, decision_with_file, stored_names


def _add(world, dossier) -> Document:
    return upload_document(dossier, actor=world["producer"], kind="label", filename="nhãn.pdf", data=PDF)


def test_the_file_is_stored_before_its_row_is_written(app, world):
    dossier = new_dossier(world, documents=False)
    db.session.commit()
    seen = []

    def on_insert(_conn, _cursor, statement, parameters, _context, _many):
        if statement.lstrip().upper().startswith("INSERT INTO DOCUMENTS"):
            names = [value for value in (parameters.values() if isinstance(parameters, dict) else parameters)
                     if isinstance(value, str) and value.endswith(".pdf") and len(value) == 36]
            seen.extend((name, current_storage().get(name) == PDF) for name in names)

    event.listen(db.engine, "before_cursor_execute", on_insert)
    try:
        document = _add(world, dossier)
    finally:
        event.remove(db.engine, "before_cursor_execute", on_insert)
    assert seen == [(document.stored_name, True)]


def test_a_failed_commit_leaves_no_file(app, world):
    dossier = new_dossier(world, documents=False)
    db.session.commit()
    document = _add(world, dossier)
    assert stored_names() == {document.stored_name}
    db.session.add(Document(dossier_id=dossier.id, kind="label", version=document.version, filename="x.pdf",
                            stored_name="0" * 32 + ".pdf", content_type="application/pdf", size=1))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    assert stored_names() == set() and documents_of(dossier) == []


def test_a_rollback_or_a_session_closed_without_commit_leaves_no_file(app, world):
    dossier = new_dossier(world, documents=False)
    db.session.commit()
    _add(world, dossier)
    db.session.rollback()
    assert stored_names() == set()
    _add(world, dossier)
    db.session.close()
    assert stored_names() == set() and documents_of(dossier) == []


def test_a_committed_file_survives_a_later_rollback(app, world):
    dossier = new_dossier(world, documents=False)
    db.session.commit()
    document = _add(world, dossier)
    db.session.commit()
    db.session.rollback()
    assert stored_names() == {document.stored_name}


def test_a_rolled_back_decision_pdf_leaves_the_attached_one(app, world, client):
    decision = decision_with_file(world, client)
    attached = decision.file_stored_name
    attach_decision_file(decision, actor=world["province_officer"], filename="mới.pdf", data=PDF)
    assert len(stored_names() - {attached}) > 0
    db.session.rollback()
    assert decision.file_stored_name == attached and current_storage().get(attached) == SIGNED
    assert stored_names() == set(db.session.scalars(db.select(Document.stored_name))) | {attached}
