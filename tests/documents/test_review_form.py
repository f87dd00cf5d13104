"""The review form: every current document judged in one request, logged once, then return (prefilled) or forward."""
from __future__ import annotations

import html
import re

import pytest

from ocop_tracker.activity.models import ActivityRecord
from ocop_tracker.documents.services import (
    current_documents,
    latest_checks,
    record_document_check,
    review_documents,
    upload_document,
)
from ocop_tracker.extensions import db
from ocop_tracker.workflow import GuardFailed, NotPermitted, StaleVersion

from ..factories import PDF, dossier_in_state
from .helpers import check_count

FLAG_NOTE = "Phiếu kiểm nghiệm hết hạn từ tháng 5"


def _reviews() -> list[ActivityRecord]:
    return list(db.session.scalars(db.select(ActivityRecord).filter_by(action="documents.review")))


def _verdicts(dossier, flagged: dict[str, str] | None = None) -> dict[str, str]:
    """The review form's fields: every current document accepted, except the kinds flagged with their note."""
    data = {}
    for kind, document in current_documents(dossier).items():
        note = (flagged or {}).get(kind)
        data[f"check-{document.id}-outcome"] = "needs_supplement" if note is not None else "accepted"
        data[f"check-{document.id}-note"] = note or ""
    return data


def _post_review(client, dossier, flagged=None, **extra):
    return client.post(f"/dossiers/{dossier.id}/documents/review", data={**_verdicts(dossier, flagged), **extra})


def _return_comment(page: str) -> str:
    """The text in the return form's reason box."""
    match = re.search(r'<textarea[^>]*name="return-comment"[^>]*>(.*?)</textarea>', page, re.DOTALL)
    assert match, "no return form on the page"
    return html.unescape(match.group(1)).strip()


def test_review_form_lists_every_current_document_and_the_next_step(world, login_as):
    dossier = dossier_in_state(world, "district_review")
    page = login_as("officer").get(f"/dossiers/{dossier.id}/documents/review").get_data(as_text=True)
    for document in current_documents(dossier).values():
        assert f'name="check-{document.id}-outcome"' in page and f'name="check-{document.id}-note"' in page
    assert 'id="review-form"' in page and 'name="note"' in page
    assert 'data-event="return"' in page and 'data-event="forward"' in page


def test_review_records_every_verdict_in_one_post_and_one_activity_row(world, login_as):
    dossier = dossier_in_state(world, "district_review")
    held = current_documents(dossier)
    response = _post_review(login_as("officer"), dossier, {"test_report": FLAG_NOTE}, note="Hồ sơ gần đủ")
    assert response.status_code == 302
    assert response.location.endswith(f"/dossiers/{dossier.id}/documents/review#next-step")
    checks = latest_checks(list(held.values()))
    assert check_count() == len(held) == 6
    assert {kind: checks[doc.id].outcome for kind, doc in held.items()} == {
        kind: "needs_supplement" if kind == "test_report" else "accepted" for kind in held}
    assert checks[held["test_report"].id].note == FLAG_NOTE
    assert all(check.checked_by == world["officer"] for check in checks.values())
    [review] = _reviews()
    assert review.actor == world["officer"] and review.dossier_id == dossier.id
    assert review.data == {"accepted": 5, "flagged": ["test_report"], "note": "Hồ sơ gần đủ",
                           "summary": "Chấp nhận 5, cần bổ sung 1"}


def test_review_shows_in_the_dossiers_activity(world, login_as):
    dossier = dossier_in_state(world, "district_review")
    client = login_as("officer")
    _post_review(client, dossier, {"test_report": FLAG_NOTE})
    page = client.get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    entry = page[page.index('data-action="documents.review"'):]
    entry = entry[:entry.index("</li>")]
    assert "Ghi kết quả kiểm tra tài liệu" in entry and "Chấp nhận 5, cần bổ sung 1" in entry, entry


def test_review_flagged_document_without_note_refused_and_nothing_saved(world, login_as):
    dossier = dossier_in_state(world, "district_review")
    response = _post_review(login_as("officer"), dossier, {"test_report": "  ", "business_licence": "Thiếu mã vạch"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and check_count() == 0 and _reviews() == []
    assert "Hãy ghi rõ nội dung cần bổ sung." in page and "Còn thiếu" in page
    assert "Thiếu mã vạch" in page  # what the officer typed stays on the page


def test_review_return_form_prefilled_with_the_flagged_notes(world, login_as):
    dossier = dossier_in_state(world, "district_review")
    client = login_as("officer")
    _post_review(client, dossier, {"test_report": FLAG_NOTE, "business_licence": "Bản sao chưa chứng thực"})
    expected = ("Đề nghị bổ sung:\n"
                "- Giấy chứng nhận đăng ký doanh nghiệp/hợp tác xã/hộ kinh doanh: Bản sao chưa chứng thực\n"
                "- Phiếu kết quả kiểm nghiệm: " + FLAG_NOTE)
    review_page = client.get(f"/dossiers/{dossier.id}/documents/review").get_data(as_text=True)
    assert _return_comment(review_page) == expected
    assert review_page.index('data-event="return"') < review_page.index('data-event="forward"')  # flags: return first
    dossier_page = client.get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    assert _return_comment(dossier_page) == _return_comment(review_page)
    returned = client.post(f"/dossiers/{dossier.id}/events/return",
                           data={"return-version": dossier.version, "return-comment": _return_comment(review_page)})
    assert returned.status_code == 302
    db.session.refresh(dossier)
    assert dossier.state == "returned" and FLAG_NOTE in dossier.history[-1].comment


def test_review_all_accepted_leaves_the_return_reason_empty_and_forward_first(world, login_as):
    dossier = dossier_in_state(world, "district_review")
    client = login_as("officer")
    _post_review(client, dossier)
    page = client.get(f"/dossiers/{dossier.id}/documents/review").get_data(as_text=True)
    assert _return_comment(page) == "" and page.index('data-event="forward"') < page.index('data-event="return"')


def test_review_during_vietgap_is_allowed(world, login_as):
    dossier = dossier_in_state(world, "vietgap")
    assert _post_review(login_as("officer"), dossier).status_code == 302
    assert check_count() == len(current_documents(dossier))


@pytest.mark.parametrize("who, status", [("other_officer", 404), ("other_producer", 404), ("producer", 403),
                                         ("province_officer", 403), ("chair", 404)])
def test_review_by_an_outsider_refused(world, login_as, who, status):
    dossier = dossier_in_state(world, "district_review")
    client = login_as(who)
    assert client.get(f"/dossiers/{dossier.id}/documents/review").status_code == status
    assert _post_review(client, dossier, {"test_report": FLAG_NOTE}).status_code == status
    assert check_count() == 0 and _reviews() == []


def test_review_after_the_check_is_over_refused(world, login_as):
    dossier = dossier_in_state(world, "returned")
    assert login_as("officer").get(f"/dossiers/{dossier.id}/documents/review").status_code == 403


def test_review_of_a_page_missing_a_newer_version_is_a_conflict(world, login_as):
    dossier = dossier_in_state(world, "vietgap")
    stale = _verdicts(dossier)
    upload_document(dossier, actor=world["producer"], kind="test_report", filename="mới.pdf", data=PDF)
    db.session.commit()
    officer = login_as("officer")
    response = officer.post(f"/dossiers/{dossier.id}/documents/review", data=stale)
    assert response.status_code == 302 and check_count() == 0 and _reviews() == []
    page = officer.get(response.location).get_data(as_text=True)
    assert "mới.pdf" in page and "Hồ sơ vừa được người khác thay đổi" in page  # the newer version, and why


def test_review_documents_service_is_all_or_nothing(world):
    dossier = dossier_in_state(world, "district_review")
    held = current_documents(dossier)
    verdicts = {doc.id: ("accepted", "") for doc in held.values()}
    with pytest.raises(GuardFailed) as refused:
        flagged = {**verdicts, held["business_licence"].id: ("needs_supplement", "")}
        review_documents(dossier, actor=world["officer"], verdicts=flagged)
    assert refused.value.missing == ["note"] and refused.value.details["documents"] == [held["business_licence"].id]
    with pytest.raises(StaleVersion):
        review_documents(dossier, actor=world["officer"], verdicts={held["business_licence"].id: ("accepted", "")})
    with pytest.raises(NotPermitted):
        review_documents(dossier, actor=world["other_officer"], verdicts=verdicts)
    db.session.rollback()
    assert check_count() == 0 and _reviews() == []


def test_single_document_check_route_still_works(world, login_as):
    dossier = dossier_in_state(world, "district_review")
    document = current_documents(dossier)["business_licence"]
    response = login_as("officer").post(f"/dossiers/{dossier.id}/documents/{document.id}/check",
                                        data={f"check-{document.id}-outcome": "accepted"})
    assert response.status_code == 302 and check_count() == 1


def test_review_form_defaults_to_the_last_verdict(world, login_as):
    dossier = dossier_in_state(world, "district_review")
    licence = current_documents(dossier)["business_licence"]
    record_document_check(licence, actor=world["officer"], outcome="needs_supplement", note="Sai tên cơ sở")
    db.session.commit()
    page = login_as("officer").get(f"/dossiers/{dossier.id}/documents/review").get_data(as_text=True)
    assert re.search(rf'<input checked[^>]*name="check-{licence.id}-outcome"[^>]*value="needs_supplement"', page)
    assert "Sai tên cơ sở" in page
