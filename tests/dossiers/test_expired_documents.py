"""An expired document never leaves the checklist silently incomplete: it says when it expired and what to do."""
from __future__ import annotations

from datetime import date

from ocop_tracker.documents.services import upload_document
from ocop_tracker.extensions import db

from ..factories import PDF, new_dossier

EXPIRED = "Hết hiệu lực ngày 30/11/2026, tải bản mới."


def test_the_checklist_names_an_expired_documents_last_day(app, world, login_as):
    app.config["TODAY"] = date(2026, 12, 1)
    dossier = new_dossier(world)
    upload_document(dossier, actor=world["producer"], kind="food_safety_certificate", filename="attp.pdf", data=PDF,
                    valid_until=date(2026, 11, 30))
    db.session.commit()
    client = login_as("producer")
    page = client.get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    item = page[page.index('data-kind="food_safety_certificate"'):]
    item = item[:item.index("</li>")]
    assert EXPIRED in item and 'data-status="in_progress"' in item
    documents = client.get(f"/dossiers/{dossier.id}/documents").get_data(as_text=True)
    assert EXPIRED in documents
    assert EXPIRED in client.get(f"/dossiers/{dossier.id}/check-answers").get_data(as_text=True)


def test_a_document_valid_through_today_is_not_called_expired(app, world, login_as):
    app.config["TODAY"] = date(2026, 11, 30)
    dossier = new_dossier(world)
    upload_document(dossier, actor=world["producer"], kind="food_safety_certificate", filename="attp.pdf", data=PDF,
                    valid_until=date(2026, 11, 30))
    db.session.commit()
    page = login_as("producer").get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    assert "Hết hiệu lực ngày" not in page
