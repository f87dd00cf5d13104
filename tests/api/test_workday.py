"""The day's work through the API: one review of the whole checklist, what changed since a return, the receipt."""
from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest

from ocop_tracker.documents.models import DocumentCheck
from ocop_tracker.documents.services import current_documents
from ocop_tracker.extensions import db

from ..factories import PDF, QD26_DAY, dossier_in_state, fire
from .test_contract_journey import Api


@pytest.fixture()
def api(app, world, client) -> Api:
    api = Api(app, client)
    api.sign_in("producer", "officer", "other_officer")
    return api.on(QD26_DAY)


def _verdicts(dossier, flagged: str | None = None, note: str = "Hết hiệu lực") -> dict:
    return {str(doc.id): ({"outcome": "needs_supplement", "note": note} if kind == flagged else {"outcome": "accepted"})
            for kind, doc in current_documents(dossier).items()}


def test_one_review_records_every_verdict_at_once(api, world):
    dossier = dossier_in_state(world, "district_review", day=QD26_DAY)
    body = api.json("officer", "PUT", f"/dossiers/{dossier.id}/review",
                    json={"verdicts": _verdicts(dossier, "test_report"), "note": "Kiểm tra ngày 2/6"})
    assert body["state"] == "district_review" and body["version"] == dossier.version  # a review is not an event
    outcomes = {check.document.kind: check.outcome for check in db.session.scalars(db.select(DocumentCheck))}
    assert outcomes["test_report"] == "needs_supplement" and set(outcomes.values()) == {"accepted", "needs_supplement"}
    assert len(outcomes) == len(current_documents(dossier))


def test_a_review_that_misses_a_note_or_a_document_changes_nothing(api, world):
    dossier = dossier_in_state(world, "district_review", day=QD26_DAY)
    path = f"/dossiers/{dossier.id}/review"
    refused = api.json("officer", "PUT", path, 422, json={"verdicts": _verdicts(dossier, "test_report", note="")})
    assert refused["error"]["code"] == "guard_failed"
    partial = dict(list(_verdicts(dossier).items())[1:])
    assert api.json("officer", "PUT", path, 409, json={"verdicts": partial})["error"]["code"] == "stale_version"
    api.json("officer", "PUT", path, 400, json={"verdicts": {"x": {"outcome": "maybe"}}})
    api.json("other_officer", "PUT", path, 404, json={"verdicts": _verdicts(dossier)})
    assert db.session.scalar(db.select(db.func.count(DocumentCheck.id))) == 0


def test_changes_and_receipt_after_a_resubmission(api, world):
    dossier = dossier_in_state(world, "returned", day=QD26_DAY)
    path = f"/dossiers/{dossier.id}"
    assert api.json("officer", "GET", f"{path}/changes")["items"] == []
    api.json("producer", "POST", f"{path}/documents", 201,
             data={"kind": "test_report", "file": (BytesIO(PDF), "phieu-kiem-nghiem-moi.pdf")})
    fire(world, dossier, "resubmit", "producer", day=date(2026, 6, 3))
    db.session.commit()
    changes = api.json("officer", "GET", f"{path}/changes")["items"]
    assert [(c["what"], c["subject"], c["filename"]) for c in changes] == [
        ("replaced", "test_report", "phieu-kiem-nghiem-moi.pdf")]
    receipt = api.json("producer", "GET", f"{path}/receipt")
    assert (receipt["code"], receipt["event"], receipt["received_on"]) == (f"HS-{dossier.id}", "resubmit", "2026-06-03")
    assert receipt["unit"]["name"] == "Liên Sơn" and receipt["due_on"] == "2026-06-24"
    assert receipt["rule_set"] == "qd26-2026-commune" and receipt["working_days"] == 15


def test_a_draft_has_no_receipt(api, world):
    dossier = dossier_in_state(world, "draft", day=QD26_DAY)
    assert api.json("producer", "GET", f"/dossiers/{dossier.id}/receipt", 404)["error"]["code"] == "not_filed"
