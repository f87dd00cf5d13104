"""The scores page: members enter marks, see the others' only after their own; the chair closes."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest

from ocop_tracker.dossiers.models import Dossier
from ocop_tracker.extensions import db
from ocop_tracker.registry.services import current_certificate
from ocop_tracker.reviews.models import Score

from ..factories import DAY0, DISTRICT_ERA_DAY, PASSWORD, decide, dossier_in_state, fire, new_dossier, score_marks
from .test_permissions import unscored_dossier


@pytest.fixture()
def as_user(app):
    """A separate signed-in browser per user, so several council members can act in one test."""
    def sign_in(username: str):
        browser = app.test_client()
        assert browser.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302
        return browser
    return sign_in


def _block(page: str, element_id: str) -> str:
    """The <dl> with this id, as rendered."""
    found = re.search(rf'<dl[^>]* id="{element_id}">.*?</dl>', page, re.DOTALL)
    assert found, element_id
    return found.group(0)


def _marks(a, b, c) -> dict:
    return {"part_a": a, "part_b": b, "part_c": c}


def _scores(dossier: Dossier) -> list[tuple]:
    return list(db.session.execute(db.select(Score.member_id, Score.part_a, Score.part_b, Score.part_c)
                                   .join(Score.round).where(Score.round.has(dossier_id=dossier.id))
                                   .order_by(Score.id)))


def district_dossier(world) -> Dossier:
    """A district-era round (QĐ 148) with the district council: scored as three totals, not on the sheet
    (tests/reviews/test_sheet_score_page.py has the sheet)."""
    dossier = new_dossier(world)
    fire(world, dossier, "submit", "producer", day=DISTRICT_ERA_DAY)
    fire(world, dossier, "forward", "district_officer", day=DISTRICT_ERA_DAY)
    db.session.commit()
    return dossier


def test_member_scoring_saves(world, as_user):
    dossier = district_dossier(world)
    browser = as_user("district_member")
    response = browser.post(f"/dossiers/{dossier.id}/scores", data=_marks("30.5", "20", "25.25"))
    assert response.status_code == 302 and response.location == f"/dossiers/{dossier.id}/scores"
    assert _scores(dossier) == [(world["district_member"].id, Decimal("30.5"), Decimal(20), Decimal("25.25"))]
    page = browser.get(response.location).get_data(as_text=True)
    assert "Đã lưu phiếu chấm của bạn." in page and "75,75" in page


def test_member_corrects_marks_until_closing(world, as_user):
    dossier = district_dossier(world)
    browser = as_user("district_member")
    browser.post(f"/dossiers/{dossier.id}/scores", data=_marks("30", "20", "25"))
    browser.post(f"/dossiers/{dossier.id}/scores", data=_marks("31", "21", "26"))
    assert _scores(dossier) == [(world["district_member"].id, Decimal(31), Decimal(21), Decimal(26))]


@pytest.mark.parametrize("marks, message", [
    (_marks("40.01", "20", "25"), "Nhập một số từ 0 đến 40."),
    (_marks("30", "26", "25"), "Nhập một số từ 0 đến 25."),
    (_marks("30", "20", "-1"), "Nhập một số từ 0 đến 35."),
    (_marks("ba mươi", "20", "25"), "Cần nhập một số."),  # WTForms' own message, in Vietnamese
    (_marks("NaN", "20", "25"), "Nhập một số từ 0 đến 40."),
    (_marks("30.125", "20", "25"), "Tối đa hai chữ số thập phân."),
    (_marks("", "20", "25"), "Mục này không được để trống."),
])
def test_form_refuses_marks_outside_the_parts(world, as_user, marks, message):
    dossier = district_dossier(world)
    response = as_user("district_member").post(f"/dossiers/{dossier.id}/scores", data=marks)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert _scores(dossier) == []


def test_page_shows_each_part_maximum(world, as_user):
    page = as_user("district_member").get(f"/dossiers/{district_dossier(world).id}/scores").get_data(as_text=True)
    assert all(f'max="{n}"' in page and f"Từ 0 đến {n} điểm" in page for n in (40, 25, 35))


def test_member_who_has_not_scored_does_not_see_the_others_marks(world, as_user):
    dossier = district_dossier(world)
    score_marks(dossier, actor=world["district_member3"], parts={"A": "33.75", "B": 11, "C": 12})
    db.session.commit()
    browser = as_user("district_member")
    for url in (f"/dossiers/{dossier.id}/scores", f"/dossiers/{dossier.id}"):
        page = browser.get(url).get_data(as_text=True)
        assert "33,75" not in page and "56,75" not in page and "member3" not in page
    assert "Đã có 1 phiếu chấm." in browser.get(f"/dossiers/{dossier.id}/scores").get_data(as_text=True)
    browser.post(f"/dossiers/{dossier.id}/scores", data=_marks("20", "10", "10"))
    page = browser.get(f"/dossiers/{dossier.id}/scores").get_data(as_text=True)
    # The mean of 56.75 and 40 is 48.375: shown cut to two decimals, not rounded.
    assert "33,75" in page and "56,75" in page and "member3" in page and "48,37" in page and "48,38" not in page


@pytest.mark.parametrize("who", ["district_chair", "district_member", "other_producer", "other_officer"])
def test_outsiders_get_404_for_the_dossier_and_its_scores(world, as_user, who):
    dossier = dossier_in_state(world, "star_rating")
    browser = as_user(who)
    assert browser.get(f"/dossiers/{dossier.id}").status_code == 404
    assert browser.get(f"/dossiers/{dossier.id}/scores").status_code == 404
    assert browser.post(f"/dossiers/{dossier.id}/scores", data=_marks("40", "25", "35")).status_code == 404
    assert world[who].id not in [row[0] for row in _scores(dossier)]


@pytest.mark.parametrize("who", ["producer", "officer", "province_officer", "admin"])
def test_producer_and_officers_cannot_post_scores(world, as_user, who):
    dossier = dossier_in_state(world, "star_rating")
    before = _scores(dossier)
    browser = as_user(who)
    assert browser.post(f"/dossiers/{dossier.id}/scores", data=_marks("40", "25", "35")).status_code == 403
    assert browser.get(f"/dossiers/{dossier.id}/scores").status_code == 403  # no marks before closing
    assert _scores(dossier) == before


def test_producer_sees_the_council_at_work_without_numbers(world, as_user):
    dossier = dossier_in_state(world, "star_rating")
    page = as_user("producer").get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    assert "Hội đồng đang chấm điểm." in page and "62,00" not in page and "/scores" not in page


def test_member_page_links_to_scoring_and_says_whether_scored(world, as_user):
    dossier = unscored_dossier(world)
    score_marks(dossier, actor=world["member3"], parts={"A": 30, "B": 20, "C": 25})
    db.session.commit()
    page = as_user("member").get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    assert f'href="/dossiers/{dossier.id}/scores"' in page and 'data-scored="no"' in page
    page = as_user("member3").get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    assert 'data-scored="yes"' in page and "75,00" in page


def test_chair_sees_mean_star_outcome_and_close_button(world, as_user):
    dossier = dossier_in_state(world, "star_rating")
    page = as_user("chair").get(f"/dossiers/{dossier.id}/scores").get_data(as_text=True)
    assert "<strong data-mean>62,00</strong>" in page and "<span data-star>3</span>" in page
    assert 'data-outcome="awaiting_decision"' in page and "3/3" in page
    assert f'action="/dossiers/{dossier.id}/events/close_rating"' in page
    member_page = as_user("member").get(f"/dossiers/{dossier.id}/scores").get_data(as_text=True)
    assert "events/close_rating" not in member_page and "62,00" in member_page


def test_chair_closes_the_rating_and_the_dossier_awaits_the_decision(world, as_user):
    dossier = dossier_in_state(world, "star_rating")
    browser = as_user("chair")
    response = browser.post(f"/dossiers/{dossier.id}/events/close_rating",
                            data={"close_rating-version": dossier.version})
    assert response.status_code == 302
    dossier = db.session.get(Dossier, dossier.id)
    assert dossier.state == "awaiting_decision" and current_certificate(dossier) is None
    page = browser.get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    outcome = _block(page, "council-outcome")
    assert "62,00" in outcome and "Chờ quyết định công nhận" in outcome and "None" not in outcome
    result = _block(browser.get(f"/dossiers/{dossier.id}/scores").get_data(as_text=True), "council-result")
    assert "62,00" in result and "Chờ quyết định công nhận" in result and "None" not in result
    decide(world, dossier, day=DAY0)
    db.session.commit()
    assert current_certificate(dossier).star == 3
    page = browser.get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    assert 'id="council-outcome"' in page and "62,00" in page and "Đã công nhận" in page


def test_close_below_quorum_is_refused_with_what_is_missing(world, as_user):
    dossier = unscored_dossier(world)
    for who in ("chair", "member"):
        score_marks(dossier, actor=world[who], parts={"A": 30, "B": 20, "C": 25})
    db.session.commit()
    version = dossier.version
    chair = as_user("chair")
    response = chair.post(f"/dossiers/{dossier.id}/events/close_rating", data={"close_rating-version": version})
    assert response.status_code == 302
    assert "đủ số phiếu chấm của Hội đồng (2/3)" in chair.get(response.location).get_data(as_text=True)
    dossier = db.session.get(Dossier, dossier.id)
    assert (dossier.state, dossier.version) == ("star_rating", version)


def test_scoring_after_closing_is_refused(world, as_user):
    dossier = dossier_in_state(world, "certified")
    before = _scores(dossier)
    browser = as_user("member")
    response = browser.post(f"/dossiers/{dossier.id}/scores", data=_marks("40", "25", "35"))
    assert response.status_code == 302 and response.location == f"/dossiers/{dossier.id}/scores"
    assert "không còn phù hợp" in browser.get(response.location).get_data(as_text=True)
    assert _scores(dossier) == before
    page = browser.get(f"/dossiers/{dossier.id}/scores").get_data(as_text=True)
    assert 'id="score-form"' not in page and "đã kết thúc chấm điểm" in page


def test_after_closing_producer_sees_result_not_marks(world, as_user):
    dossier = dossier_in_state(world, "certified")
    browser = as_user("producer")
    page = browser.get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    assert 'id="council-outcome"' in page and "62,00" in page and "3 sao" in page
    assert "/scores" not in page and "member3" not in page
    assert browser.get(f"/dossiers/{dossier.id}/scores").status_code == 403


def test_after_closing_officer_reads_each_members_marks(world, as_user):
    dossier = dossier_in_state(world, "certified")
    page = as_user("officer").get(f"/dossiers/{dossier.id}/scores").get_data(as_text=True)
    assert 'id="member-scores"' in page and "member3" in page and 'id="score-form"' not in page


def test_national_score_and_earlier_rounds_on_the_dossier_page(world, as_user):
    dossier = dossier_in_state(world, "central_review")
    fire(world, dossier, "recognise", "province_officer", score=Decimal(86))  # back to the province, 4★
    decide(world, dossier, day=DAY0)
    db.session.commit()
    page = as_user("producer").get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    assert "Điểm Hội đồng Trung ương" in page and "86,00" in page and "94,00" in page
    fire(world, dossier, "request_upgrade", "producer")
    db.session.commit()
    page = as_user("producer").get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    assert 'id="earlier-rounds"' in page and "94,00" in page and 'id="council-outcome"' not in page


def test_chair_who_has_not_scored_sees_the_count_only(world, as_user):
    dossier = unscored_dossier(world)
    for who, a in (("member", 31), ("member3", 33)):
        score_marks(dossier, actor=world[who], parts={"A": a, "B": 20, "C": 25})
    db.session.commit()
    page = as_user("chair").get(f"/dossiers/{dossier.id}/scores").get_data(as_text=True)
    assert "Đã có 2 phiếu chấm." in page and "data-mean" not in page and "31,00" not in page and "77,00" not in page
