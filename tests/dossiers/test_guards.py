"""Each guard refuses with exactly what is missing, and leaves the dossier as it was."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from ocop_tracker.documents.services import record_vietgap
from ocop_tracker.extensions import db
from ocop_tracker.reviews.models import Council
from ocop_tracker.workflow import GuardFailed

from ..factories import (BANANA, DAY0, PDF, dossier_in_state, expiry_day, fire, new_dossier, score_all,
                         upload_required_documents)

FOOD_DOCUMENTS = ["registration_form", "self_assessment", "business_licence", "food_safety_certificate",
                  "quality_announcement", "test_report"]


def _refused(world, dossier, event, who, **extra) -> list[str]:
    version, state = dossier.version, dossier.state
    with pytest.raises(GuardFailed) as refused:
        fire(world, dossier, event, who, **extra)
    assert (dossier.state, dossier.version) == (state, version)
    return refused.value.missing


def test_submit_without_documents_lists_every_required_kind(world):
    dossier = new_dossier(world, documents=False)
    assert _refused(world, dossier, "submit", "producer") == FOOD_DOCUMENTS


def test_submit_with_expired_test_report_lists_it(world):
    from ocop_tracker.documents.services import add_document

    dossier = new_dossier(world)
    add_document(dossier, actor=world["producer"], kind="test_report", filename="kq.pdf", data=PDF,
                 valid_until=DAY0 - timedelta(days=1))
    assert _refused(world, dossier, "submit", "producer") == ["test_report"]


def test_verify_vietgap_without_certificate_refused(world):
    dossier = new_dossier(world, set_number=BANANA)
    fire(world, dossier, "submit", "producer")
    assert dossier.state == "vietgap"
    assert _refused(world, dossier, "verify_vietgap", "officer") == ["vietgap_certificate"]


def test_verify_vietgap_with_lapsed_certificate_refused(world):
    dossier = new_dossier(world, set_number=BANANA)
    fire(world, dossier, "submit", "producer")
    record_vietgap(dossier, actor=world["producer"], certificate_no="VG-9", issuer="FITES",
                   issued_on=DAY0 - timedelta(days=800), valid_until=DAY0 - timedelta(days=1))
    assert _refused(world, dossier, "verify_vietgap", "officer") == ["vietgap_certificate"]


def test_return_without_reasons_refused(world):
    dossier = dossier_in_state(world, "district_review")
    assert _refused(world, dossier, "return", "officer", comment="  ") == ["comment"]


def test_receipt_date_in_the_future_refused(world):
    dossier = dossier_in_state(world, "district_review")
    assert _refused(world, dossier, "forward", "officer", received_on=DAY0 + timedelta(days=1)) == ["received_on"]


def test_earlier_receipt_date_needs_a_reason(world):
    dossier = dossier_in_state(world, "district_review")
    later, paper_day = DAY0 + timedelta(days=5), DAY0 + timedelta(days=2)
    assert _refused(world, dossier, "forward", "officer", day=later, received_on=paper_day) == ["comment"]
    fire(world, dossier, "forward", "officer", day=later, received_on=paper_day, comment="Hồ sơ giấy nhận 04/03")
    assert (dossier.state, dossier.received_on) == ("star_rating", paper_day)


def test_forward_without_a_council_refused(world):
    dossier = dossier_in_state(world, "district_review")
    council = db.session.scalar(db.select(Council).filter_by(unit_id=world.district.id))
    for member in list(council.members):
        db.session.delete(member)
    db.session.delete(council)
    db.session.flush()
    assert _refused(world, dossier, "forward", "officer") == ["rating_council"]


def test_close_rating_below_quorum_refused(world):
    dossier = dossier_in_state(world, "district_review")
    fire(world, dossier, "forward", "officer")
    score_all(world, dossier, totals=((25, 17, 20), (24, 16, 21)))
    assert _refused(world, dossier, "close_rating", "chair") == ["council_scores (2/3)"]


def test_recognise_needs_the_national_score(world):
    dossier = dossier_in_state(world, "central_review")
    assert _refused(world, dossier, "recognise", "province_officer") == ["score"]
    assert _refused(world, dossier, "recognise", "province_officer", score=Decimal(101)) == ["score"]


def test_revoke_needs_grounds(world):
    dossier = dossier_in_state(world, "certified")
    assert _refused(world, dossier, "revoke", "admin") == ["grounds"]


def test_re_rating_outside_its_window_refused(world):
    dossier = dossier_in_state(world, "certified")
    expires = expiry_day(dossier)
    assert _refused(world, dossier, "request_re_rating", "producer", day=expires - timedelta(days=181)) == ["re_rating_window"]
    assert _refused(world, dossier, "request_re_rating", "producer", day=expires - timedelta(days=119)) == ["re_rating_window"]
    fire(world, dossier, "request_re_rating", "producer", day=expires - timedelta(days=120))
    assert dossier.state == "re_rating"


def test_expire_before_the_end_date_refused(world):
    dossier = dossier_in_state(world, "certified")
    assert _refused(world, dossier, "expire", "system", day=expiry_day(dossier) - timedelta(days=1)) == ["expiry_date"]


def test_upgrade_refused_at_five_stars(world):
    dossier = dossier_in_state(world, "central_review")
    fire(world, dossier, "recognise", "admin", score=Decimal(92))
    assert _refused(world, dossier, "request_upgrade", "producer") == ["star_below_5"]


def test_resubmit_checks_documents_again(world):
    dossier = new_dossier(world, documents=False)
    upload_required_documents(dossier, world["producer"], valid_until=DAY0 + timedelta(days=5))
    fire(world, dossier, "submit", "producer")
    fire(world, dossier, "return", "officer", comment="Bổ sung")
    assert _refused(world, dossier, "resubmit", "producer", day=DAY0 + timedelta(days=10)) == FOOD_DOCUMENTS
