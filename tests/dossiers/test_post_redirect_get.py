"""Post/redirect/get: a refused action never leaves the browser on its POST address (a reload would send the form
again); the reason is flashed on the page it returns to, with what the user typed kept where it fits."""
from __future__ import annotations

from ocop_tracker.deadlines.models import Deadline
from ocop_tracker.documents.services import current_documents
from ocop_tracker.dossiers.models import Dossier
from ocop_tracker.extensions import db

from ..factories import dossier_in_state, new_dossier

REASON = "Thiếu phiếu kiểm nghiệm chỉ tiêu vi sinh"


def test_a_refused_return_goes_back_to_the_dossier_page_keeping_the_reason(world, login_as):
    dossier = dossier_in_state(world, "district_review")
    client = login_as("officer")
    response = client.post(f"/dossiers/{dossier.id}/events/return", data={
        "return-version": dossier.version, "return-comment": REASON, "return-received_on": "2020-01-01"})
    assert response.status_code == 302 and response.location == f"/dossiers/{dossier.id}#event-return"
    page = client.get(response.location).get_data(as_text=True)
    assert "ngày tiếp nhận hợp lệ" in page and REASON in page and 'value="2020-01-01"' in page
    again = client.get(response.location).get_data(as_text=True)  # kept once: a later visit starts afresh
    assert 'value="2020-01-01"' not in again and db.session.get(Dossier, dossier.id).state == "district_review"


def test_a_long_refused_comment_never_overflows_the_session_cookie(world, login_as):
    dossier = dossier_in_state(world, "district_review")
    client = login_as("officer")
    comment = "Bổ sung " * 240  # within the 2000-character limit, beyond what the cookie can keep
    response = client.post(f"/dossiers/{dossier.id}/events/return", data={
        "return-version": dossier.version, "return-comment": comment, "return-received_on": "2020-01-01"})
    assert response.status_code == 302
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("ocop_session="))
    assert len(cookie) < 4000
    assert "ngày tiếp nhận hợp lệ" in client.get(response.location).get_data(as_text=True)


def test_a_refused_filing_goes_back_to_the_check_answers_page(world, login_as):
    dossier = new_dossier(world, documents=False)
    db.session.commit()
    client = login_as("producer")
    response = client.post(f"/dossiers/{dossier.id}/filing", data={"version": dossier.version, "declared": "y"})
    assert response.status_code == 302 and response.location == f"/dossiers/{dossier.id}/check-answers#filing"
    page = client.get(response.location).get_data(as_text=True)
    assert "Mẫu số 01" in page and 'value="y" checked' in page  # the tick kept


def test_a_refused_document_check_goes_back_to_the_documents_page(world, login_as):
    dossier = dossier_in_state(world, "district_review")
    document = current_documents(dossier)["business_licence"]
    client = login_as("officer")
    response = client.post(f"/dossiers/{dossier.id}/documents/{document.id}/check", data={
        f"check-{document.id}-outcome": "needs_supplement", f"check-{document.id}-note": ""})
    assert response.status_code == 302 and response.location == f"/dossiers/{dossier.id}/documents#kind-business_licence"
    assert "Hãy ghi rõ nội dung cần bổ sung." in client.get(response.location).get_data(as_text=True)


def test_a_refused_extension_of_a_met_deadline_goes_back_to_the_dossier(world, login_as):
    dossier = dossier_in_state(world, "provincial_review")
    met = db.session.scalar(db.select(Deadline).filter_by(dossier_id=dossier.id, kind="first_level_check"))
    client = login_as("admin")
    response = client.post(f"/dossiers/{dossier.id}/deadlines/{met.id}/extend", data={
        f"deadline-{met.id}-new_due_on": "2026-05-30", f"deadline-{met.id}-reason": "Lý do"})
    assert response.status_code == 302 and response.location == f"/dossiers/{dossier.id}#deadlines"


def test_a_refused_score_goes_back_to_the_scores_page(world, login_as):
    dossier = dossier_in_state(world, "certified")
    client = login_as("member")
    response = client.post(f"/dossiers/{dossier.id}/scores", data={"part_a": 30, "part_b": 20, "part_c": 25})
    assert response.status_code == 302 and response.location == f"/dossiers/{dossier.id}/scores"
    assert "không còn phù hợp" in client.get(response.location).get_data(as_text=True)


def test_a_refused_product_edit_comes_back_by_get_with_the_input(world, login_as):
    dossier = dossier_in_state(world, "returned")
    client = login_as("producer")
    other_set = db.session.execute(db.text("SELECT id FROM product_sets WHERE number = 1")).scalar()
    response = client.post(f"/dossiers/{dossier.id}/product", data={
        "name": "Chè Mỹ Tân đặc biệt", "product_set": other_set, "description": "Mô tả"})
    assert response.status_code == 302 and response.location == f"/dossiers/{dossier.id}/product"
    page = client.get(response.location).get_data(as_text=True)
    assert "bộ sản phẩm chỉ đổi được" in page and 'value="Chè Mỹ Tân đặc biệt"' in page
