"""Status summaries per role: the right dossiers, nothing of other organisations or units, the reader's language."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from sqlalchemy import text

from ocop_tracker.dossiers.models import Dossier
from ocop_tracker.dossiers.services import open_dossier
from ocop_tracker.extensions import db
from ocop_tracker.products.models import ProductSet
from ocop_tracker.products.services import create_product
from ocop_tracker.summaries.services import build_summary, summary_for

from ..factories import (
    TEA,
    decide,
    dossier_in_state,
    expiry_day,
    fire,
    new_dossier,
    score_marks,
    upload_required_documents,
)

TODAY = date(2026, 3, 10)  # a Tuesday; the daily summary reports Monday 9 March
YESTERDAY = date(2026, 3, 9)
THEIR_PRODUCT = "Mật ong Lạc Sơn"
THEIR_ORGANISATION = "Công ty Nhưng Vần"


@dataclass
class Scene:
    review: Dossier  # district_review since yesterday: the commune officer's
    returned: Dossier  # returned yesterday: the producer's
    rating: Dossier  # admitted, star_rating, nobody has scored yet: the provincial council's
    late: Dossier  # district_review since January: overdue
    theirs: Dossier  # the other organisation's, forwarded to the province yesterday, not yet admitted


def their_dossier(world) -> Dossier:
    tea = db.session.scalar(db.select(ProductSet).filter_by(number=TEA))
    product = create_product(actor=world["other_producer"], name=THEIR_PRODUCT, product_set=tea)
    dossier = open_dossier(product, actor=world["other_producer"])
    upload_required_documents(dossier, world["other_producer"])
    return dossier


@pytest.fixture()
def scene(world) -> Scene:
    review, returned = new_dossier(world, name="Chè Shan tuyết"), new_dossier(world, name="Chuối tiêu")
    rating, late = new_dossier(world, name="Miến dong"), new_dossier(world, name="Gạo nếp")
    theirs = their_dossier(world)
    for dossier in (review, returned):
        fire(world, dossier, "submit", "producer", day=YESTERDAY)
    fire(world, returned, "return", "officer", day=YESTERDAY, comment="Thiếu giấy phép kinh doanh")
    fire(world, rating, "submit", "producer", day=date(2026, 3, 2))
    fire(world, rating, "forward", "officer", day=date(2026, 3, 3))
    fire(world, rating, "admit", "province_officer", day=date(2026, 3, 4))
    fire(world, late, "submit", "producer", day=date(2026, 1, 26))
    fire(world, theirs, "submit", "other_producer", day=YESTERDAY)
    fire(world, theirs, "forward", "other_officer", day=YESTERDAY)
    db.session.commit()
    return Scene(review, returned, rating, late, theirs)


def keys(summary, section: str) -> set[str]:
    found = summary.section(section)
    assert found is not None, f"no section {section!r} in {[s.key for s in summary.sections]}"
    return {line.key for line in found.lines}


def ids(*dossiers: Dossier) -> set[str]:
    return {str(dossier.id) for dossier in dossiers}


def assert_nothing_of_theirs(summary) -> None:
    for part in (summary.subject, summary.text, summary.html):
        assert THEIR_PRODUCT not in part and THEIR_ORGANISATION not in part


def test_producer_summary_lists_own_dossiers_and_the_decisions_of_the_day(world, scene):
    summary = build_summary(world["producer"], TODAY, YESTERDAY)
    assert keys(summary, "waiting") == ids(scene.returned)
    assert keys(summary, "dossiers") == ids(scene.review, scene.rating, scene.late)
    decisions = summary.section("decisions").lines
    assert [line.cells[1] for line in decisions] == [f"#{scene.returned.id}"]
    assert "Thiếu giấy phép kinh doanh" in summary.text and "Thiếu giấy phép kinh doanh" in summary.html
    assert summary.subject == "[OCOP] Tóm tắt ngày 10/03/2026: 1 việc chờ bạn"
    assert f"http://127.0.0.1:5000/dossiers/{scene.returned.id}" in summary.text
    assert_nothing_of_theirs(summary)


def test_producer_summary_says_what_is_missing(world):
    draft = new_dossier(world, documents=False, name="Bưởi đỏ")
    db.session.commit()
    line = build_summary(world["producer"], TODAY, YESTERDAY).section("waiting").lines[0]
    assert line.key == str(draft.id)
    assert any(note.startswith("Còn thiếu: Phiếu đăng ký đánh giá, phân hạng sản phẩm OCOP (Mẫu số 01)")
               for note in line.notes), line.notes


def test_officer_summary_holds_the_unit_queue_arrivals_and_overdue_only(world, scene):
    summary = build_summary(world["officer"], TODAY, YESTERDAY)
    assert keys(summary, "overdue") == ids(scene.late)
    assert keys(summary, "awaiting") == ids(scene.review)
    assert summary.waiting == 2
    arrivals = summary.section("arrivals").lines
    assert {line.cells[1] for line in arrivals} == {f"#{scene.review.id}", f"#{scene.returned.id}"}
    assert_nothing_of_theirs(summary)
    theirs = build_summary(world["other_officer"], TODAY, YESTERDAY)
    assert {line.cells[1] for line in theirs.section("arrivals").lines} == {f"#{scene.theirs.id}"}
    assert "Chè Shan tuyết" not in theirs.text and "Chuối tiêu" not in theirs.text


def test_officer_summary_lists_certificates_of_the_unit_expiring_within_180_days(world):
    expires = expiry_day(dossier_in_state(world, "certified"))
    near, far = expires - timedelta(days=100), expires - timedelta(days=200)
    assert len(keys(build_summary(world["officer"], near, near), "expiring")) == 1
    assert keys(build_summary(world["other_officer"], near, near), "expiring") == set()
    assert keys(build_summary(world["officer"], far, far), "expiring") == set()


def test_provincial_officer_summary_holds_the_files_waiting_at_the_province(world):
    at_office = dossier_in_state(world, "provincial_review")  # to check and admit to a batch
    to_decide = dossier_in_state(world, "awaiting_decision")  # the decision to record
    dossier_in_state(world, "district_review")  # the commune's move
    dossier_in_state(world, "star_rating")  # the council's move
    summary = build_summary(world["province_officer"], TODAY, YESTERDAY)
    assert keys(summary, "awaiting") == ids(at_office, to_decide)
    assert summary.waiting == 2


def test_council_member_sees_dossiers_waiting_for_their_score(world, scene):
    assert keys(build_summary(world["member"], TODAY, YESTERDAY), "to_score") == ids(scene.rating)
    assert_nothing_of_theirs(build_summary(world["chair"], TODAY, YESTERDAY))  # at the province, not yet admitted
    old_council = build_summary(world["district_member"], TODAY, YESTERDAY)  # the abolished district's council
    assert keys(old_council, "to_score") == set()
    assert_nothing_of_theirs(old_council)
    fire(world, scene.theirs, "admit", "province_officer", day=TODAY)
    db.session.commit()
    assert keys(build_summary(world["member"], TODAY, YESTERDAY), "to_score") == ids(scene.rating, scene.theirs)
    assert keys(build_summary(world["district_member"], TODAY, YESTERDAY), "to_score") == set()
    score_marks(scene.rating, actor=world["member"], parts={"A": 25, "B": 17, "C": 20})
    db.session.commit()
    assert keys(build_summary(world["member"], TODAY, YESTERDAY), "to_score") == ids(scene.theirs)
    assert keys(build_summary(world["chair"], TODAY, YESTERDAY), "to_score") == ids(scene.rating, scene.theirs)


def test_producer_summary_reports_the_recognition_decision_of_the_day(world):
    dossier = dossier_in_state(world, "awaiting_decision")
    decide(world, dossier, day=YESTERDAY)
    db.session.commit()
    summary = build_summary(world["producer"], TODAY, YESTERDAY)
    decisions = summary.section("decisions").lines
    assert [line.cells[1] for line in decisions] == [f"#{dossier.id}"]
    certificate = dossier_certificate_code(dossier)
    assert any(certificate in note for note in decisions[0].notes), decisions[0].notes
    # Signed 09/03/2026: valid through 09/03/2029, said as every mail says it.
    assert "có hiệu lực đến hết ngày 09/03/2029" in summary.text.lower()


def dossier_certificate_code(dossier: Dossier) -> str:
    return db.session.scalar(text("SELECT code FROM certificates WHERE dossier_id = :id"), {"id": dossier.id})


def test_chair_is_told_when_the_quorum_has_scored(world):
    dossier = dossier_in_state(world, "star_rating")  # all three members scored
    chair = build_summary(world["chair"], TODAY, YESTERDAY)
    assert keys(chair, "to_close") == ids(dossier) and keys(chair, "to_score") == set()
    assert build_summary(world["member"], TODAY, YESTERDAY).section("to_close") is None


def _counts(sql: str) -> dict[str, int]:
    return {str(key): count for key, count in db.session.execute(text(sql))}


def test_admin_counts_match_the_database(world, scene):
    dossier_in_state(world, "certified")
    late_check = new_dossier(world, name="Mật mía")
    fire(world, late_check, "submit", "producer", day=date(2026, 1, 5))
    fire(world, late_check, "forward", "officer", day=date(2026, 3, 2))
    db.session.commit()
    summary = build_summary(world["admin"], TODAY, YESTERDAY)
    by_state = {line.key: int(line.cells[-1]) for line in summary.section("by_state").lines}
    assert by_state == _counts("SELECT state, COUNT(*) FROM dossiers GROUP BY state")
    by_star = {line.key: int(line.cells[-1]) for line in summary.section("by_star").lines}
    assert by_star == _counts("SELECT star, COUNT(*) FROM certificates WHERE status = 'valid' GROUP BY star") != {}
    rates = {line.key: line.cells[1:] for line in summary.section("on_time").lines}
    expected = db.session.execute(text(
        "SELECT d.review_unit_id, SUM(CASE WHEN k.met_on <= k.due_on THEN 1 ELSE 0 END), COUNT(*) FROM deadlines k "
        "JOIN dossiers d ON d.id = k.dossier_id WHERE k.kind = 'first_level_check' AND k.met_on IS NOT NULL "
        "GROUP BY d.review_unit_id")).all()
    assert expected and rates == {str(unit): [f"{met}/{total} đúng hạn", f"{round(100 * met / total)}%"]
                                  for unit, met, total in expected}
    assert any(met < total for _unit, met, total in expected)  # the late check counts against the unit
    assert ids(scene.late) <= keys(summary, "overdue")


def test_english_reader_gets_english(world, scene):
    world["producer"].locale = "en"
    db.session.commit()
    summary = build_summary(world["producer"], TODAY, YESTERDAY)
    assert summary.subject == "[OCOP] Daily summary 10 Mar 2026: 1 task waiting for you"
    assert "Returned for supplements" in summary.text and 'lang="en"' in summary.html
    for vietnamese in ("Việc chờ bạn", "Trả lại", "Quyết định", "Chào", "Hạn thẩm định"):
        assert vietnamese not in summary.text and vietnamese not in summary.html


def test_weekly_summary_reports_the_week_before(world, scene):
    summary = summary_for(world["officer"], date(2026, 3, 16), "weekly")  # Monday: reports 9–15 March
    assert summary.subject.startswith("[OCOP] Tóm tắt tuần 09/03/2026–15/03/2026")
    assert {line.cells[1] for line in summary.section("arrivals").lines} == {
        f"#{scene.review.id}", f"#{scene.returned.id}"}


def test_html_part_has_the_text_content_and_no_script(world, scene):
    summary = build_summary(world["officer"], TODAY, YESTERDAY)
    assert "<script" not in summary.html.lower()
    for section in summary.sections:
        assert section.heading in summary.text and section.heading in summary.html
        for line in section.lines:
            assert all(cell in summary.text and cell in summary.html for cell in line.cells)
