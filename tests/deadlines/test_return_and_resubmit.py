"""A return and a resubmission: one first-level check per filing at the first level, each told apart on the page,
and none opened for a file the province returned (nothing could ever meet it)."""
from __future__ import annotations

import re
from datetime import date
from html import unescape

from ocop_tracker.deadlines.models import Deadline
from ocop_tracker.deadlines.queries import deadline_summaries
from ocop_tracker.dossiers.filing import latest_receipt
from ocop_tracker.extensions import db

from ..factories import dossier_in_state, fire, new_dossier

MONDAY = date(2026, 11, 30)


def words(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def checks(dossier) -> list[tuple]:
    db.session.expire_all()
    return [(d.starts_on, d.met_on) for d in db.session.scalars(
        db.select(Deadline).filter_by(dossier_id=dossier.id, kind="first_level_check").order_by(Deadline.id))]


def test_a_same_day_return_and_resubmission_read_as_two_different_checks(app, world, login_as):
    app.config["TODAY"] = date(2026, 12, 4)
    dossier = new_dossier(world)
    fire(world, dossier, "submit", "producer", day=MONDAY)
    fire(world, dossier, "return", "officer", day=MONDAY, comment="Bổ sung phiếu kiểm nghiệm")
    fire(world, dossier, "resubmit", "producer", day=MONDAY)
    fire(world, dossier, "forward", "officer", day=MONDAY)
    db.session.commit()
    # Each filing has its own 15 working days, counted from the working day after receipt.
    assert checks(dossier) == [(date(2026, 12, 1), MONDAY), (date(2026, 12, 1), MONDAY)]
    page = words(login_as("officer").get(f"/dossiers/{dossier.id}").get_data(as_text=True))
    assert ("Nộp hồ sơ ngày 30/11/2026 · tính hạn từ 01/12/2026 · trả lại để bổ sung ngày 30/11/2026" in page)
    assert ("(hồ sơ nộp lại sau bổ sung) Đã xong Nộp lại ngày 30/11/2026 · tính hạn từ 01/12/2026 · "
            "chuyển hồ sơ ngày 30/11/2026") in page
    assert "Bắt đầu 01/12/2026 · Hoàn thành 30/11/2026" not in page  # "finished before it started"


def test_a_file_the_province_returned_goes_back_to_the_province_without_a_first_level_check(app, world):
    dossier = dossier_in_state(world, "provincial_review", day=date(2026, 3, 2))
    fire(world, dossier, "return", "province_officer", day=date(2026, 3, 4), comment="Thiếu Mẫu 03")
    fire(world, dossier, "resubmit", "producer", day=date(2026, 3, 9))
    db.session.commit()
    assert dossier.state == "provincial_review"
    assert checks(dossier) == [(date(2026, 3, 3), date(2026, 3, 2))]  # only the check the commune met
    app.config["TODAY"] = date(2026, 6, 1)
    assert [s["status"] for s in deadline_summaries(dossier, date(2026, 6, 1))] == ["met"]  # nothing overdue
    assert latest_receipt(dossier).due_on is None  # the resubmission's receipt promises no first-level date


def test_supplements_back_at_the_first_level_start_a_new_check(world):
    dossier = dossier_in_state(world, "returned", day=date(2026, 3, 2))
    fire(world, dossier, "resubmit", "producer", day=date(2026, 3, 6))
    assert dossier.state == "district_review"
    assert checks(dossier) == [(date(2026, 3, 3), date(2026, 3, 2)), (date(2026, 3, 9), None)]
