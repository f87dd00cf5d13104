"""Deadlines opened, met and closed by the workflow's events, one round after another."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from ocop_tracker.deadlines.models import Deadline
from ocop_tracker.deadlines.queries import deadline_summaries
from ocop_tracker.decisions.services import recognise_nationally
from ocop_tracker.documents.services import record_vietgap
from ocop_tracker.extensions import db
from ocop_tracker.reviews.models import EvaluationBatch
from ocop_tracker.reviews.services import current_round

from ..factories import (
    BANANA,
    CENTRAL_TOTALS,
    DAY0,
    DISTRICT_ERA_DAY,
    QD26_DAY,
    decide,
    dossier_in_state,
    expiry_day,
    fire,
    new_dossier,
    score_all,
)


def rows(dossier) -> list[tuple]:
    """(round, kind, starts_on, due_on, met_on) of every deadline row, in the order they were opened."""
    db.session.expire_all()
    return [(d.round_number, d.kind, d.starts_on, d.due_on, d.met_on) for d in db.session.scalars(
        db.select(Deadline).filter_by(dossier_id=dossier.id).order_by(Deadline.id))]


def test_full_life_of_a_dossiers_deadlines(world):
    dossier = new_dossier(world)
    fire(world, dossier, "submit", "producer", day=date(2026, 2, 13))  # Friday before Tết (QĐ 1489: no batches)
    assert rows(dossier) == [(1, "first_level_check", date(2026, 2, 23), date(2026, 3, 13), None)]
    fire(world, dossier, "return", "officer", day=date(2026, 3, 2), comment="Bổ sung phiếu kiểm nghiệm")
    fire(world, dossier, "resubmit", "producer", day=date(2026, 3, 6))
    fire(world, dossier, "forward", "officer", day=date(2026, 3, 20))
    fire(world, dossier, "admit", "province_officer", day=date(2026, 3, 23))
    # A first evaluation without a batch has no decision date.
    assert [kind for _r, kind, *_ in rows(dossier)] == ["first_level_check"] * 2
    score_all(world, dossier)
    fire(world, dossier, "close_rating", "chair", day=date(2026, 4, 6))
    decide(world, dossier, day=date(2026, 4, 10))
    expires = expiry_day(dossier)
    assert expires == date(2029, 4, 10)  # 36 months from the decision's signing day
    fire(world, dossier, "request_re_rating", "producer", day=expires - timedelta(days=400))  # prepared early
    assert rows(dossier)[-2][4] is None  # the filing window is met by filing, not by preparing
    fire(world, dossier, "submit", "producer", day=expires - timedelta(days=150))
    assert rows(dossier)[:4] == [
        (1, "first_level_check", date(2026, 2, 23), date(2026, 3, 13), date(2026, 3, 2)),
        (1, "first_level_check", date(2026, 3, 9), date(2026, 3, 27), date(2026, 3, 20)),
        (1, "re_rating_filing", expires - timedelta(days=180), expires - timedelta(days=120),
         expires - timedelta(days=150)),
        (1, "certificate_expiry", date(2026, 4, 10), expires, None),
    ]
    # The re-rating's own check (its due day depends on the calendar of its year being loaded).
    assert len(rows(dossier)) == 5 and rows(dossier)[4][:3] == (2, "first_level_check", expires - timedelta(days=149))
    summaries = deadline_summaries(dossier, expires - timedelta(days=150))
    assert len(summaries) == 5 and summaries[:4] == [
        {"kind": "first_level_check", "due_on": "2026-03-13", "status": "met"},
        {"kind": "first_level_check", "due_on": "2026-03-27", "status": "met"},
        {"kind": "re_rating_filing", "due_on": (expires - timedelta(days=120)).isoformat(), "status": "met"},
        {"kind": "certificate_expiry", "due_on": expires.isoformat(), "status": "on_time"},
    ]


def test_a_first_evaluation_under_qd26_is_decided_by_its_batchs_date(world):
    dossier = dossier_in_state(world, "provincial_review", day=QD26_DAY)
    fire(world, dossier, "admit", "province_officer", day=date(2026, 6, 10))
    assert current_round(dossier).batch.name == "Đợt 2 năm 2026"
    assert rows(dossier)[-1] == (1, "decision", date(2026, 6, 10), date(2026, 12, 30), None)
    score_all(world, dossier)
    fire(world, dossier, "close_rating", "chair", day=date(2026, 7, 1))
    assert rows(dossier)[-1][4] is None  # the council's result is not the decision
    decide(world, dossier, day=date(2026, 7, 15))
    assert rows(dossier)[1] == (1, "decision", date(2026, 6, 10), date(2026, 12, 30), date(2026, 7, 15))


def _batch(world, name: str, cutoff: date, due: date) -> None:
    db.session.add(EvaluationBatch(unit=world.province, name=name, filing_cutoff=cutoff, decision_due=due))
    db.session.flush()


def test_a_re_rating_is_decided_within_45_days_of_admission(world):
    dossier = dossier_in_state(world, "re_rating", day=QD26_DAY)
    filed_on = expiry_day(dossier) - timedelta(days=150)
    _batch(world, f"Đợt 1 năm {filed_on.year + 1}", date(filed_on.year + 1, 4, 30), date(filed_on.year + 1, 6, 30))
    fire(world, dossier, "submit", "producer", day=filed_on)
    fire(world, dossier, "forward", "officer", day=filed_on + timedelta(days=7))
    admitted_on = filed_on + timedelta(days=10)
    fire(world, dossier, "admit", "province_officer", day=admitted_on)
    assert rows(dossier)[-1] == (2, "decision", admitted_on, admitted_on + timedelta(days=45), None)  # not the batch's


def test_a_district_era_re_rating_is_decided_within_45_days_of_forwarding_to_the_district_council(world):
    dossier = new_dossier(world)
    fire(world, dossier, "submit", "producer", day=date(2021, 3, 1))
    fire(world, dossier, "forward", "district_officer", day=date(2021, 3, 15))
    assert (dossier.rule_set, dossier.state) == ("qd1048-2019-district", "star_rating")
    score_all(world, dossier, prefix="district_")
    fire(world, dossier, "close_rating", "district_chair", day=date(2021, 4, 1))  # QĐ 1048: ≥ 50 goes up
    fire(world, dossier, "admit", "province_officer", day=date(2021, 4, 5))
    score_all(world, dossier)
    fire(world, dossier, "close_rating", "chair", day=date(2021, 5, 1))
    decide(world, dossier, day=date(2021, 6, 1))
    assert expiry_day(dossier) == date(2024, 6, 1)
    fire(world, dossier, "request_re_rating", "producer", day=date(2024, 1, 2))
    fire(world, dossier, "submit", "producer", day=date(2024, 1, 2))
    assert dossier.rule_set == "qd148-2023-district"
    fire(world, dossier, "forward", "district_officer", day=date(2024, 1, 10))
    assert (dossier.state, dossier.level) == ("star_rating", "district")
    assert rows(dossier)[-1] == (2, "decision", date(2024, 1, 10), date(2024, 2, 24), None)


def test_a_district_era_first_evaluation_has_no_decision_date(world):
    dossier = dossier_in_state(world, "district_review", day=DISTRICT_ERA_DAY)
    fire(world, dossier, "forward", "district_officer", day=DISTRICT_ERA_DAY)
    assert dossier.state == "star_rating"
    assert [kind for _r, kind, *_ in rows(dossier)] == ["first_level_check"]


def test_recorded_paper_receipt_moves_the_first_level_check(world):
    dossier = new_dossier(world, set_number=BANANA)
    record_vietgap(dossier, actor=world["producer"], certificate_no="VG-9", issuer="VIETCERT",
                   issued_on=DAY0 - timedelta(days=30), valid_until=DAY0 + timedelta(days=700))
    fire(world, dossier, "submit", "producer", day=DAY0)
    assert rows(dossier)[0][2:4] == (date(2026, 3, 3), date(2026, 3, 23))
    fire(world, dossier, "verify_vietgap", "officer", day=date(2026, 3, 9), received_on=date(2026, 3, 4),
         comment="Bản giấy đến ngày 04/3")
    assert rows(dossier) == [(1, "first_level_check", date(2026, 3, 5), date(2026, 3, 25), None)]


def test_withdrawal_closes_the_open_check(world):
    dossier = dossier_in_state(world, "district_review")
    fire(world, dossier, "withdraw", "producer")
    assert rows(dossier) == []


def test_central_review_keeps_the_decision_open_until_recognised(world):
    dossier = new_dossier(world)
    fire(world, dossier, "submit", "producer", day=QD26_DAY)
    fire(world, dossier, "forward", "officer", day=date(2026, 6, 8))
    fire(world, dossier, "admit", "province_officer", day=date(2026, 6, 10))
    score_all(world, dossier, CENTRAL_TOTALS)
    fire(world, dossier, "close_rating", "chair", day=date(2026, 6, 30))
    assert dossier.state == "central_review"
    assert rows(dossier)[-1] == (1, "decision", date(2026, 6, 10), date(2026, 12, 30), None)
    recognise_nationally(dossier, actor=world["province_officer"], version=dossier.version, score=Decimal(92),
                         number="77/QĐ-BNNMT", signed_on=date(2026, 9, 1), signer="Bộ trưởng", today=date(2026, 9, 3))
    kinds = {kind: (due, met) for _round, kind, _start, due, met in rows(dossier)}
    assert kinds["decision"] == (date(2026, 12, 30), date(2026, 9, 3))
    assert kinds["certificate_expiry"] == (date(2029, 9, 1), None)  # from the Ministry's signing day


def test_revoking_closes_the_certificate_deadlines(world):
    dossier = dossier_in_state(world, "revoked", day=QD26_DAY)
    assert [kind for _r, kind, *_ in rows(dossier)] == ["first_level_check", "decision"]


def test_expiry_closes_the_certificate_deadlines(world):
    dossier = dossier_in_state(world, "expired", day=QD26_DAY)
    assert [kind for _r, kind, *_ in rows(dossier)] == ["first_level_check", "decision"]


def test_a_later_rounds_certificate_replaces_the_earlier_ones_deadlines(world):
    dossier = dossier_in_state(world, "upgrade")
    assert [(r, kind) for r, kind, *_ in rows(dossier)][-2:] == [(1, "re_rating_filing"), (1, "certificate_expiry")]
    fire(world, dossier, "submit", "producer", day=date(2026, 6, 1))
    fire(world, dossier, "forward", "officer", day=date(2026, 6, 8))
    fire(world, dossier, "admit", "province_officer", day=date(2026, 6, 8))
    assert rows(dossier)[-1] == (2, "decision", date(2026, 6, 8), date(2026, 12, 30), None)  # the batch's date
    score_all(world, dossier, ((30, 20, 26), (31, 19, 27), (30, 20, 27)))
    fire(world, dossier, "close_rating", "chair", day=date(2026, 6, 25))
    decide(world, dossier, day=date(2026, 7, 1), number="2/QĐ-UBND")
    open_rows = [(r, kind, due) for r, kind, _start, due, met in rows(dossier) if met is None]
    assert open_rows == [(2, "re_rating_filing", date(2029, 3, 3)), (2, "certificate_expiry", date(2029, 7, 1))]
