"""Each guard refuses with exactly what is missing, and leaves the dossier as it was."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from ocop_tracker.decisions.services import recognise_nationally
from ocop_tracker.documents.services import record_vietgap
from ocop_tracker.extensions import db
from ocop_tracker.reviews.models import Council, EvaluationBatch

from ..factories import (
    BANANA,
    DAY0,
    DISTRICT_ERA_DAY,
    PDF,
    QD26_DAY,
    dossier_in_state,
    expiry_day,
    fire,
    guard_refusal,
    new_dossier,
    score_all,
    score_marks,
    upload_required_documents,
)

FOOD_DOCUMENTS = ["registration_form", "self_assessment", "business_licence", "food_safety_certificate",
                  "quality_announcement", "test_report"]




def test_submit_without_documents_lists_every_required_kind(world):
    dossier = new_dossier(world, documents=False)
    assert guard_refusal(world, dossier, "submit", "producer") == FOOD_DOCUMENTS


def test_submit_with_expired_test_report_lists_it(world):
    from ocop_tracker.documents.services import upload_document

    dossier = new_dossier(world)
    upload_document(dossier, actor=world["producer"], kind="test_report", filename="kq.pdf", data=PDF,
                    valid_until=DAY0 - timedelta(days=1))
    assert guard_refusal(world, dossier, "submit", "producer") == ["test_report"]


def test_verify_vietgap_without_certificate_needs_a_comment(world):
    dossier = new_dossier(world, set_number=BANANA)
    fire(world, dossier, "submit", "producer")
    assert dossier.state == "vietgap"
    assert guard_refusal(world, dossier, "verify_vietgap", "officer") == ["vietgap_comment"]
    assert guard_refusal(world, dossier, "verify_vietgap", "officer", comment="   ") == ["vietgap_comment"]
    fire(world, dossier, "verify_vietgap", "officer", comment="Chưa có chứng nhận VietGAP: không cộng điểm")
    assert dossier.state == "district_review"  # VietGAP earns points, it never blocks


def test_verify_vietgap_with_lapsed_certificate_needs_a_comment(world):
    dossier = new_dossier(world, set_number=BANANA)
    fire(world, dossier, "submit", "producer")
    record_vietgap(dossier, actor=world["producer"], certificate_no="VG-9", issuer="FITES",
                   issued_on=DAY0 - timedelta(days=800), valid_until=DAY0 - timedelta(days=1))
    assert guard_refusal(world, dossier, "verify_vietgap", "officer") == ["vietgap_comment"]


def test_verify_vietgap_with_a_valid_certificate_needs_no_comment(world):
    dossier = new_dossier(world, set_number=BANANA)
    fire(world, dossier, "submit", "producer")
    record_vietgap(dossier, actor=world["producer"], certificate_no="VG-9", issuer="FITES",
                   issued_on=DAY0 - timedelta(days=30), valid_until=DAY0)  # its last valid day
    fire(world, dossier, "verify_vietgap", "officer")
    assert dossier.state == "district_review"


def test_return_without_reasons_refused(world):
    dossier = dossier_in_state(world, "district_review")
    assert guard_refusal(world, dossier, "return", "officer", comment="  ") == ["comment"]


def test_receipt_date_in_the_future_refused(world):
    dossier = dossier_in_state(world, "district_review")
    assert guard_refusal(world, dossier, "forward", "officer", received_on=DAY0 + timedelta(days=1)) == ["received_on"]


def test_earlier_receipt_date_needs_a_reason(world):
    dossier = dossier_in_state(world, "district_review")
    later, paper_day = DAY0 + timedelta(days=5), DAY0 + timedelta(days=2)
    assert guard_refusal(world, dossier, "forward", "officer", day=later, received_on=paper_day) == ["comment"]
    fire(world, dossier, "forward", "officer", day=later, received_on=paper_day, comment="Hồ sơ giấy nhận 04/03")
    assert (dossier.state, dossier.received_on) == ("provincial_review", paper_day)


def _remove_council(unit) -> None:
    council = db.session.scalar(db.select(Council).filter_by(unit_id=unit.id))
    for member in list(council.members):
        db.session.delete(member)
    db.session.delete(council)
    db.session.flush()


def test_district_era_forward_without_the_districts_council_refused(world):
    dossier = dossier_in_state(world, "district_review", day=DISTRICT_ERA_DAY)
    _remove_council(world.district)
    assert guard_refusal(world, dossier, "forward", "district_officer", day=DISTRICT_ERA_DAY) == ["rating_council"]


def test_commune_era_forward_needs_no_council_but_admission_does(world):
    dossier = dossier_in_state(world, "district_review")
    _remove_council(world.province)
    fire(world, dossier, "forward", "officer")  # to the provincial office, which has no council yet
    assert dossier.state == "provincial_review"
    assert guard_refusal(world, dossier, "admit", "province_officer") == ["rating_council"]


def test_admission_under_qd26_needs_an_open_batch(world):
    dossier = dossier_in_state(world, "provincial_review", day=QD26_DAY)
    batch = db.session.scalar(db.select(EvaluationBatch))
    batch.closed_on = QD26_DAY
    db.session.flush()
    assert guard_refusal(world, dossier, "admit", "province_officer", day=QD26_DAY) == ["batch"]
    late = date(2026, 10, 31)  # after the batch's filing cut-off, with the batch open again
    batch.closed_on = None
    assert guard_refusal(world, dossier, "admit", "province_officer", day=late) == ["batch"]
    fire(world, dossier, "admit", "province_officer", day=batch.filing_cutoff)
    assert dossier.state == "star_rating"


def test_close_rating_below_quorum_refused(world):
    dossier = dossier_in_state(world, "provincial_review")
    fire(world, dossier, "admit", "province_officer")
    score_all(world, dossier, totals=((25, 17, 20), (24, 16, 21)))
    assert guard_refusal(world, dossier, "close_rating", "chair") == ["council_scores (2/3)"]


def test_close_rating_without_the_chairs_score_refused(world):
    dossier = dossier_in_state(world, "provincial_review")
    fire(world, dossier, "admit", "province_officer")
    for seat in ("member", "member3"):
        score_marks(dossier, actor=world[seat], parts={"A": 25, "B": 17, "C": 20})
    assert guard_refusal(world, dossier, "close_rating", "chair") == ["council_scores (2/3)", "chair_score"]


def test_close_rating_with_a_mark_far_from_the_others_needs_a_comment(world):
    dossier = dossier_in_state(world, "provincial_review")
    fire(world, dossier, "admit", "province_officer")
    score_all(world, dossier, totals=((25, 17, 20), (24, 17, 21), (35, 20, 18)))  # 73: 11 above 62
    assert guard_refusal(world, dossier, "close_rating", "chair") == ["spread_comment"]
    fire(world, dossier, "close_rating", "chair", comment="Thành viên thứ ba giải trình điểm phần A")
    assert dossier.state == "awaiting_decision"


def test_close_rating_with_a_mark_ten_points_from_the_others_needs_no_comment(world):
    dossier = dossier_in_state(world, "provincial_review")
    fire(world, dossier, "admit", "province_officer")
    score_all(world, dossier, totals=((25, 17, 20), (24, 17, 21), (35, 20, 17)))  # 72: exactly 10 above 62
    fire(world, dossier, "close_rating", "chair")
    assert dossier.state == "awaiting_decision"


def test_recognise_needs_the_national_score(world):
    dossier = dossier_in_state(world, "central_review")
    assert guard_refusal(world, dossier, "recognise", "province_officer") == ["score"]
    assert guard_refusal(world, dossier, "recognise", "province_officer", score=Decimal(101)) == ["score"]


def test_recognise_five_stars_needs_the_ministrys_decision(world):
    dossier = dossier_in_state(world, "central_review")
    assert guard_refusal(world, dossier, "recognise", "province_officer", score=Decimal(90)) == ["decision"]


def test_revoke_needs_grounds(world):
    dossier = dossier_in_state(world, "certified")
    assert guard_refusal(world, dossier, "revoke", "admin") == ["grounds"]


def test_re_rating_window_is_checked_on_filing_not_on_request(world):
    dossier = dossier_in_state(world, "certified")
    expires = expiry_day(dossier)
    fire(world, dossier, "request_re_rating", "producer", day=expires - timedelta(days=400))  # prepared early
    assert dossier.state == "re_rating"
    assert guard_refusal(world, dossier, "submit", "producer", day=expires - timedelta(days=181)) == ["re_rating_window"]
    assert guard_refusal(world, dossier, "submit", "producer", day=expires - timedelta(days=119)) == ["re_rating_window"]
    fire(world, dossier, "submit", "producer", day=expires - timedelta(days=120))
    assert dossier.state == "district_review"


def test_request_re_rating_needs_a_valid_certificate(world):
    dossier = dossier_in_state(world, "certified")
    assert guard_refusal(world, dossier, "request_re_rating", "producer",
                    day=expiry_day(dossier) + timedelta(days=1)) == ["certificate"]


def test_expire_on_or_before_the_last_valid_day_refused(world):
    dossier = dossier_in_state(world, "certified")
    last_day = expiry_day(dossier)
    assert guard_refusal(world, dossier, "expire", "system", day=last_day - timedelta(days=1)) == ["expiry_date"]
    assert guard_refusal(world, dossier, "expire", "system", day=last_day) == ["expiry_date"]  # still valid that day
    fire(world, dossier, "expire", "system", day=last_day + timedelta(days=1))
    assert dossier.state == "expired"


def test_upgrade_refused_at_five_stars(world):
    dossier = dossier_in_state(world, "central_review")
    recognise_nationally(dossier, actor=world["admin"], version=dossier.version, score=Decimal(92),
                         number="77/QĐ-BNNMT", signed_on=DAY0, signer="Bộ trưởng", today=DAY0)
    assert dossier.state == "certified"
    assert guard_refusal(world, dossier, "request_upgrade", "producer") == ["star_below_5"]


def test_resubmit_checks_documents_again(world):
    dossier = new_dossier(world, documents=False)
    upload_required_documents(dossier, world["producer"], valid_until=DAY0 + timedelta(days=5))
    fire(world, dossier, "submit", "producer")
    fire(world, dossier, "return", "officer", comment="Bổ sung")
    assert guard_refusal(world, dossier, "resubmit", "producer", day=DAY0 + timedelta(days=10)) == FOOD_DOCUMENTS
