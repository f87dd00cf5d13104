"""What changed since a return: documents added or replaced and product fields edited, on the officer's page and
in the resubmission mail; nothing on a first submission."""
from __future__ import annotations

import re

from ocop_tracker.activity.models import ActivityRecord
from ocop_tracker.clock import today
from ocop_tracker.documents.changes import changes_since_return
from ocop_tracker.documents.services import current_documents, upload_document
from ocop_tracker.extensions import db
from ocop_tracker.notifications.models import OutboxMail

from ..factories import DAY0, PDF, dossier_in_state, fire, new_dossier
from .helpers import upload

NEW_REPORT = "kiểm nghiệm 2026.pdf"
HEADING = "Thay đổi kể từ khi hồ sơ được trả lại"


def _review_and_return(dossier, officer) -> None:
    """The officer flags the test report in the review form, then returns the dossier from the page."""
    data = {}
    for kind, document in current_documents(dossier).items():
        flagged = kind == "test_report"
        data[f"check-{document.id}-outcome"] = "needs_supplement" if flagged else "accepted"
        data[f"check-{document.id}-note"] = "Phiếu hết hạn" if flagged else ""
    assert officer.post(f"/dossiers/{dossier.id}/documents/review", data=data).status_code == 302
    response = officer.post(f"/dossiers/{dossier.id}/events/return",
                            data={"return-version": dossier.version, "return-comment": "Bổ sung phiếu kiểm nghiệm"})
    assert response.status_code == 302
    db.session.refresh(dossier)
    assert dossier.state == "returned"


def _edit_product(client, dossier, **changed):
    product = dossier.product
    data = {"name": product.name, "product_set": product.product_set_id, "description": product.description,
            **changed}
    assert client.post(f"/dossiers/{dossier.id}/product", data=data).status_code == 302


def _resubmit(world, dossier) -> None:
    fire(world, dossier, "resubmit", "producer", day=today())
    db.session.commit()


def _returned_then_changed(world, login_as, browser):
    """Returned after review; the producer sends a new test report, adds a label, edits the product; resubmits."""
    dossier = dossier_in_state(world, "district_review")
    _review_and_return(dossier, login_as("officer"))
    producer = browser("producer")
    assert upload(producer, dossier, kind="test_report", name=NEW_REPORT).status_code == 302
    assert upload(producer, dossier, kind="label", name="nhãn.pdf").status_code == 302
    _edit_product(producer, dossier, name="Chè Mỹ Tân hảo hạng", description="Chè búp sao tay")
    _resubmit(world, dossier)
    return dossier


def _listed(page: str) -> dict[str, str]:
    """The changes block's items: subject → what happened."""
    assert 'id="changes-since-return"' in page
    block = page[page.index('id="changes-since-return"'):]
    block = block[:block.index("</section>")]
    return {subject: what for what, subject in re.findall(r'data-change="(\w+)" data-subject="(\w+)"', block)}


def test_officer_page_lists_exactly_the_changes_since_the_return(world, login_as, browser):
    dossier = _returned_then_changed(world, login_as, browser)
    page = login_as("officer").get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    assert _listed(page) == {"test_report": "replaced", "label": "added", "name": "edited", "description": "edited"}
    assert HEADING in page and NEW_REPORT in page and "thay bằng phiên bản 2" in page
    assert [(c.what, c.subject, c.version) for c in changes_since_return(dossier)] == [
        ("replaced", "test_report", 2), ("added", "label", 1), ("edited", "name", None),
        ("edited", "description", None)]


def test_review_page_shows_the_changes_too(world, login_as, browser):
    dossier = _returned_then_changed(world, login_as, browser)
    page = login_as("officer").get(f"/dossiers/{dossier.id}/documents/review").get_data(as_text=True)
    assert set(_listed(page)) == {"test_report", "label", "name", "description"}


def test_resubmission_mail_to_the_officer_lists_the_changes(world, login_as, browser):
    dossier = _returned_then_changed(world, login_as, browser)
    [mail] = db.session.scalars(db.select(OutboxMail).filter_by(kind="event.resubmit", to_address="officer@test.local"))
    assert mail.dossier_id == dossier.id
    lines = ["Phiếu kết quả kiểm nghiệm: thay bằng phiên bản 2 (kiểm nghiệm 2026.pdf)",
             "Nhãn sản phẩm: tải lên mới (nhãn.pdf)", "Tên sản phẩm: đã sửa", "Mô tả sản phẩm: đã sửa"]
    assert f"{HEADING}:\n" + "\n".join(f"- {line}" for line in lines) in mail.body_text
    for line in lines:
        assert f"<li>{line}</li>" in mail.body_html
    assert "Giấy chứng nhận đăng ký doanh nghiệp" not in mail.body_text  # unchanged documents are not listed


def test_first_submission_shows_no_changed_block(world, login_as):
    dossier = dossier_in_state(world, "district_review")
    page = login_as("officer").get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    assert 'id="changes-since-return"' not in page and HEADING not in page
    [mail] = db.session.scalars(db.select(OutboxMail).filter_by(kind="event.submit", to_address="officer@test.local"))
    assert HEADING not in mail.body_text and HEADING not in mail.body_html
    assert changes_since_return(dossier) == []


def test_no_block_before_the_resubmission_nor_once_forwarded(world, login_as, browser):
    dossier = dossier_in_state(world, "district_review")
    _review_and_return(dossier, login_as("officer"))
    assert upload(browser("producer"), dossier, kind="test_report", name=NEW_REPORT).status_code == 302
    assert changes_since_return(dossier) == []  # still returned: the producer reads the reasons instead
    _resubmit(world, dossier)
    assert [c.subject for c in changes_since_return(dossier)] == ["test_report"]
    fire(world, dossier, "forward", "officer", day=today())
    db.session.commit()
    assert changes_since_return(dossier) == []


def test_changes_follow_the_order_of_events_not_the_clock(world):
    """Demo data and catch-up runs backdate events while uploads carry the real time: order decides, not clocks."""
    dossier = new_dossier(world)  # documents uploaded now, long after DAY0
    fire(world, dossier, "submit", "producer", day=DAY0)
    fire(world, dossier, "return", "officer", day=DAY0, comment="Bổ sung")
    upload_document(dossier, actor=world["producer"], kind="test_report", filename=NEW_REPORT, data=PDF)
    fire(world, dossier, "resubmit", "producer", day=DAY0)
    db.session.commit()
    assert [(c.what, c.subject) for c in changes_since_return(dossier)] == [("replaced", "test_report")]


def test_only_the_changes_since_the_latest_return(world):
    dossier = new_dossier(world)
    fire(world, dossier, "submit", "producer")
    fire(world, dossier, "return", "officer", comment="Lần 1")
    upload_document(dossier, actor=world["producer"], kind="test_report", filename="lần 1.pdf", data=PDF)
    fire(world, dossier, "resubmit", "producer")
    fire(world, dossier, "return", "officer", comment="Lần 2")
    upload_document(dossier, actor=world["producer"], kind="photo", filename="ảnh.pdf", data=PDF)
    upload_document(dossier, actor=world["producer"], kind="photo", filename="ảnh 2.pdf", data=PDF)
    fire(world, dossier, "resubmit", "producer")
    db.session.commit()
    [change] = changes_since_return(dossier)
    assert (change.what, change.subject, change.version, change.filename) == ("added", "photo", 2, "ảnh 2.pdf")


def test_product_edit_logs_the_fields_it_changed(world, login_as):
    dossier = new_dossier(world, documents=False)
    db.session.commit()
    client = login_as("producer")
    _edit_product(client, dossier)  # nothing changed: nothing logged
    _edit_product(client, dossier, name="Chè Mỹ Tân mới")
    [row] = db.session.scalars(db.select(ActivityRecord).filter_by(action="product.edit"))
    assert row.data["fields"] == ["name"] and row.data["summary"] == "Sửa: Tên sản phẩm"
    assert row.actor == world["producer"] and row.dossier_id == dossier.id


def test_upload_logs_the_kind_and_version(world, login_as):
    dossier = new_dossier(world, documents=False)
    db.session.commit()
    client = login_as("producer")
    upload(client, dossier, kind="test_report")
    upload(client, dossier, kind="test_report")
    rows = list(db.session.scalars(db.select(ActivityRecord).filter_by(action="documents.upload")
                                   .order_by(ActivityRecord.id)))
    assert [(r.data["kind"], r.data["version"]) for r in rows] == [("test_report", 1), ("test_report", 2)]
    assert rows[-1].data["summary"] == "Phiếu kết quả kiểm nghiệm — phiên bản 2"
    page = client.get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    assert 'data-action="documents.upload"' in page and "Tải lên tài liệu" in page
