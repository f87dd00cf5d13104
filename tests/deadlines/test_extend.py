"""Extending a deadline: a reason and a later day, logged in the activity log (not the workflow history), by the
reviewing unit or the province only."""
from __future__ import annotations

import re
from datetime import UTC, date

import pytest

from ocop_tracker.activity.models import ActivityRecord
from ocop_tracker.deadlines.models import Deadline, DeadlineExtension
from ocop_tracker.dossiers.models import TransitionRecord
from ocop_tracker.extensions import db

from ..factories import DAY0, QD26_DAY, dossier_in_state

DUE = date(2026, 3, 23)  # the first-level check of a dossier submitted on Monday 2 March 2026


def _deadline(dossier, kind: str = "first_level_check") -> Deadline:
    db.session.expire_all()
    return db.session.scalar(db.select(Deadline).filter_by(dossier_id=dossier.id, kind=kind))


def _extend(client, dossier, deadline, new_due_on: str, reason: str):
    prefix = f"deadline-{deadline.id}"
    return client.post(f"/dossiers/{dossier.id}/deadlines/{deadline.id}/extend",
                       data={f"{prefix}-new_due_on": new_due_on, f"{prefix}-reason": reason})


def _snapshot(dossier) -> tuple:
    db.session.expire_all()
    history = db.session.scalar(db.select(db.func.count(TransitionRecord.id)).filter_by(dossier_id=dossier.id))
    logged = db.session.scalar(db.select(db.func.count(ActivityRecord.id)).filter_by(action="deadlines.extend"))
    extensions = db.session.scalar(db.select(db.func.count(DeadlineExtension.id)))
    deadlines = [(d.kind, d.due_on) for d in db.session.scalars(db.select(Deadline).order_by(Deadline.id))]
    return history, logged, extensions, deadlines, db.session.get(type(dossier), dossier.id).version


def test_officer_extends_with_a_reason_and_the_history_says_so(world, login_as):
    dossier = dossier_in_state(world, "district_review")
    version = dossier.version
    client = login_as("officer")
    extend_url = f"/dossiers/{dossier.id}/deadlines/{_deadline(dossier).id}/extend"
    assert f'action="{extend_url}"' in client.get(f"/dossiers/{dossier.id}").get_data(as_text=True)  # on the page
    assert client.get(extend_url).status_code == 200
    response = _extend(client, dossier, _deadline(dossier), "2026-04-03", "  Chờ kết quả kiểm nghiệm bổ sung  ")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/dossiers/{dossier.id}#deadlines")
    deadline = _deadline(dossier)
    assert deadline.due_on == date(2026, 4, 3)
    extension = deadline.extensions[0]
    assert (extension.previous_due_on, extension.new_due_on, extension.reason, extension.extended_by) == (
        DUE, date(2026, 4, 3), "Chờ kết quả kiểm nghiệm bổ sung", world["officer"])
    assert [r.event for r in db.session.get(type(dossier), dossier.id).history] == ["submit"]  # no pseudo-event
    record = db.session.scalars(db.select(ActivityRecord).filter_by(dossier_id=dossier.id, action="deadlines.extend")
                                ).one()
    assert (record.actor, record.object_type, record.object_id) == (world["officer"], "Deadline", deadline.id)
    assert record.data == {"kind": "first_level_check", "from": "2026-03-23", "to": "2026-04-03",
                           "reason": "Chờ kết quả kiểm nghiệm bổ sung",
                           "summary": "23/03/2026 → 03/04/2026: Chờ kết quả kiểm nghiệm bổ sung"}
    assert db.session.get(type(dossier), dossier.id).version == version  # not a workflow event
    page = client.get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    activity = page[page.index('id="activity"'):]
    assert "Gia hạn thời hạn" in activity and "23/03/2026 → 03/04/2026" in activity
    assert "Gia hạn thời hạn" not in page[page.index('id="history"'):page.index('id="activity"')]


@pytest.mark.parametrize(("new_due_on", "reason", "message"), [
    ("2026-04-03", "   ", "Cần nêu lý do gia hạn."),
    ("2026-03-23", "Lý do", "Hạn mới phải sau hạn hiện tại."),
    ("2026-03-20", "Lý do", "Hạn mới phải sau hạn hiện tại."),
    ("", "Lý do", "Cần chọn hạn mới."),
])
def test_extension_needs_a_reason_and_a_later_day(world, login_as, new_due_on, reason, message):
    dossier = dossier_in_state(world, "district_review")
    before = _snapshot(dossier)
    response = _extend(login_as("officer"), dossier, _deadline(dossier), new_due_on, reason)
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert _snapshot(dossier) == before


@pytest.mark.parametrize(("username", "state", "kind", "status"), [
    ("producer", "district_review", "first_level_check", 403),
    ("other_officer", "district_review", "first_level_check", 404),  # not theirs to see at all
    ("chair", "star_rating", "decision", 403),  # the batch's decision date (QĐ 26)
    ("district_officer", "star_rating", "decision", 404),  # an abolished district's officer: not its round
    ("officer", "star_rating", "decision", 403),  # today the decision is the province's, not the commune's
])
def test_others_cannot_extend(world, login_as, username, state, kind, status):
    dossier = dossier_in_state(world, state, day=QD26_DAY if kind == "decision" else DAY0)
    deadline = _deadline(dossier, kind)
    before = _snapshot(dossier)
    client = login_as(username)
    assert _extend(client, dossier, deadline, "2027-01-29", "Lý do").status_code == status  # later than every due date
    assert client.get(f"/dossiers/{dossier.id}/deadlines/{deadline.id}/extend").status_code == status
    assert _snapshot(dossier) == before


def test_the_commune_era_decision_date_is_the_provinces_to_extend(world, browser):
    dossier = dossier_in_state(world, "star_rating", day=QD26_DAY)
    decision = _deadline(dossier, "decision")
    response = _extend(browser("province_officer"), dossier, decision, "2027-01-15", "Hội đồng họp bổ sung")
    assert response.status_code == 302
    assert _deadline(dossier, "decision").due_on == date(2027, 1, 15)


def test_certificate_deadlines_are_the_provinces_to_extend(world, login_as, browser):
    dossier = dossier_in_state(world, "certified")
    expiry = _deadline(dossier, "certificate_expiry")
    before = _snapshot(dossier)
    assert _extend(login_as("officer"), dossier, expiry, "2029-08-31", "Điều 12").status_code == 403
    assert _snapshot(dossier) == before
    assert _extend(browser("province_officer"), dossier, expiry, "2029-08-31", "Điều 12 QĐ 26").status_code == 302
    assert _deadline(dossier, "certificate_expiry").due_on == date(2029, 8, 31)


def test_a_met_deadline_cannot_be_extended(world, login_as):
    dossier = dossier_in_state(world, "star_rating")
    met = _deadline(dossier)
    before = _snapshot(dossier)
    assert met.met_on is not None
    client = login_as("admin")
    response = _extend(client, dossier, met, "2026-04-30", "Lý do")
    assert response.status_code == 302 and response.location == f"/dossiers/{dossier.id}#deadlines"
    assert "không còn phù hợp" in client.get(response.location).get_data(as_text=True)
    assert _snapshot(dossier) == before


def test_extension_needs_the_csrf_token(app, world, login_as):
    dossier = dossier_in_state(world, "district_review")
    client = login_as("officer")
    app.config["WTF_CSRF_ENABLED"] = True
    deadline = _deadline(dossier)
    assert _extend(client, dossier, deadline, "2026-04-03", "Lý do").status_code == 400
    page = client.get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    token = re.search(rf'id="deadline-{deadline.id}-csrf_token" name="deadline-{deadline.id}-csrf_token" '
                      r'type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(f"/dossiers/{dossier.id}/deadlines/{deadline.id}/extend", data={
        f"deadline-{deadline.id}-new_due_on": "2026-04-03", f"deadline-{deadline.id}-reason": "Lý do",
        f"deadline-{deadline.id}-csrf_token": token})
    assert response.status_code == 302 and _deadline(dossier).due_on == date(2026, 4, 3)


def test_the_extension_is_stored_at_the_real_time_in_utc(world, login_as):
    """SQLite keeps the wall-clock time it is given: a Vietnam-time moment was read back 7 hours ahead."""
    from datetime import datetime, timedelta

    dossier = dossier_in_state(world, "district_review")
    before = datetime.now(UTC)
    assert _extend(login_as("officer"), dossier, _deadline(dossier), "2026-04-03", "Chờ kiểm nghiệm").status_code == 302
    record = db.session.scalars(db.select(ActivityRecord).filter_by(dossier_id=dossier.id, action="deadlines.extend")
                                ).one()
    stored = record.at if record.at.tzinfo else record.at.replace(tzinfo=UTC)
    assert abs(stored - before) < timedelta(minutes=1)
