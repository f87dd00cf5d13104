"""Deadlines opened, met and closed by the workflow's events, one round after another."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from ocop_tracker.deadlines.models import Deadline
from ocop_tracker.deadlines.queries import deadline_summaries
from ocop_tracker.documents.services import record_vietgap
from ocop_tracker.extensions import db

from ..factories import BANANA, CENTRAL_TOTALS, DAY0, dossier_in_state, expiry_day, fire, new_dossier, score_all


def rows(dossier) -> list[tuple]:
    """(round, kind, starts_on, due_on, met_on) of every deadline row, in the order they were opened."""
    db.session.expire_all()
    return [(d.round_number, d.kind, d.starts_on, d.due_on, d.met_on) for d in db.session.scalars(
        db.select(Deadline).filter_by(dossier_id=dossier.id).order_by(Deadline.id))]


def test_full_life_of_a_dossiers_deadlines(world):
    dossier = new_dossier(world)
    fire(world, dossier, "submit", "producer", day=date(2026, 2, 13))  # Friday before Tết
    assert rows(dossier) == [(1, "first_level_check", date(2026, 2, 23), date(2026, 3, 13), None)]
    fire(world, dossier, "return", "officer", day=date(2026, 3, 2), comment="Bổ sung phiếu kiểm nghiệm")
    fire(world, dossier, "resubmit", "producer", day=date(2026, 3, 6))
    fire(world, dossier, "forward", "officer", day=date(2026, 3, 20))
    score_all(world, dossier)
    fire(world, dossier, "close_rating", "chair", day=date(2026, 4, 6))
    expires = expiry_day(dossier)
    assert expires == date(2029, 4, 6)
    fire(world, dossier, "request_re_rating", "producer", day=expires - timedelta(days=150))
    assert rows(dossier) == [
        (1, "first_level_check", date(2026, 2, 23), date(2026, 3, 13), date(2026, 3, 2)),
        (1, "first_level_check", date(2026, 3, 9), date(2026, 3, 27), date(2026, 3, 20)),
        (1, "decision", date(2026, 3, 20), date(2026, 5, 4), date(2026, 4, 6)),
        (1, "re_rating_filing", expires - timedelta(days=180), expires - timedelta(days=120),
         expires - timedelta(days=150)),
        (1, "certificate_expiry", date(2026, 4, 6), expires, None),
    ]
    assert deadline_summaries(dossier, expires - timedelta(days=150)) == [
        {"kind": "first_level_check", "due_on": "2026-03-13", "status": "met"},
        {"kind": "first_level_check", "due_on": "2026-03-27", "status": "met"},
        {"kind": "decision", "due_on": "2026-05-04", "status": "met"},
        {"kind": "re_rating_filing", "due_on": (expires - timedelta(days=120)).isoformat(), "status": "met"},
        {"kind": "certificate_expiry", "due_on": expires.isoformat(), "status": "on_time"},
    ]


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
    fire(world, dossier, "submit", "producer")
    fire(world, dossier, "forward", "officer", day=date(2026, 3, 10))
    score_all(world, dossier, CENTRAL_TOTALS)
    fire(world, dossier, "close_rating", "chair", day=date(2026, 3, 30))
    assert dossier.state == "central_review"
    assert rows(dossier)[-1] == (1, "decision", date(2026, 3, 10), date(2026, 4, 24), None)
    fire(world, dossier, "recognise", "province_officer", day=date(2026, 6, 1), score=Decimal(92))
    kinds = {kind: (due, met) for _round, kind, _start, due, met in rows(dossier)}
    assert kinds["decision"] == (date(2026, 4, 24), date(2026, 6, 1))
    assert kinds["certificate_expiry"] == (date(2029, 6, 1), None)


def test_revoking_closes_the_certificate_deadlines(world):
    dossier = dossier_in_state(world, "revoked")
    assert [kind for _r, kind, *_ in rows(dossier)] == ["first_level_check", "decision"]


def test_expiry_closes_the_certificate_deadlines(world):
    dossier = dossier_in_state(world, "expired")
    assert [kind for _r, kind, *_ in rows(dossier)] == ["first_level_check", "decision"]


def test_a_later_rounds_certificate_replaces_the_earlier_ones_deadlines(world):
    dossier = dossier_in_state(world, "upgrade")
    assert [(r, kind) for r, kind, *_ in rows(dossier)][-2:] == [(1, "re_rating_filing"), (1, "certificate_expiry")]
    fire(world, dossier, "submit", "producer", day=date(2026, 6, 1))
    fire(world, dossier, "forward", "officer", day=date(2026, 6, 8))
    score_all(world, dossier, ((30, 20, 26), (31, 19, 27), (30, 20, 27)))
    fire(world, dossier, "close_rating", "chair", day=date(2026, 7, 1))
    open_rows = [(r, kind, due) for r, kind, _start, due, met in rows(dossier) if met is None]
    assert open_rows == [(2, "re_rating_filing", date(2029, 3, 3)), (2, "certificate_expiry", date(2029, 7, 1))]
