"""The administrators' outbox page: counts, failed mails with their attempts, and retrying them."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from ocop_tracker.extensions import db
from ocop_tracker.models_base import utcnow
from ocop_tracker.notifications.models import MailAttempt
from ocop_tracker.notifications.sender import send_batch

from .conftest import free_port, point_at, queue, reload


@pytest.fixture()
def failed(app, world):
    """Two mails that failed every allowed try against a server that is down, and one sent as .eml."""
    queue(world, subject="Thư đã gửi")
    send_batch()
    point_at(app, free_port())
    app.config["MAIL_MAX_ATTEMPTS"] = 2
    mails = queue(world, 2, who="officer", subject="Hồ sơ cần thẩm định: Chè Mỹ Tân")
    for hours in (0, 5):
        send_batch(now=utcnow() + timedelta(hours=hours))
    assert {reload(mail).status for mail in mails} == {"failed"}
    return mails


@pytest.mark.parametrize("who", ["producer", "officer", "province_officer", "chair"])
def test_outbox_pages_are_not_found_for_non_admins(failed, login_as, who):
    client = login_as(who)
    assert client.get("/admin/mail").status_code == 404
    assert client.post(f"/admin/mail/{failed[0].id}/retry").status_code == 404
    assert client.post("/admin/mail/retry-failed").status_code == 404
    assert reload(failed[0]).status == "failed"


def test_admin_sees_counts_and_each_failed_mail_with_its_attempts(failed, login_as):
    body = login_as("admin").get("/admin/mail").get_data(as_text=True)
    counts = dict(re.findall(r'data-status="(\w+)">\s*<div class="card-body">\s*<div class="display-6">(\d+)<', body))
    assert counts == {"pending": "0", "sending": "0", "sent": "1", "failed": "2"}
    assert body.count("Hồ sơ cần thẩm định: Chè Mỹ Tân") == 2 and "Thư đã gửi" not in body
    assert "officer@test.local" in body and "2 lần thử" in body and "ConnectionRefusedError" in body
    assert body.count("<li>") >= 4  # both attempts of both mails


def test_retry_puts_one_failed_mail_back_and_keeps_its_attempts(app, failed, login_as, smtp):
    response = login_as("admin").post(f"/admin/mail/{failed[0].id}/retry")
    assert response.status_code == 302 and response.location.endswith("/admin/mail")
    again, still = reload(failed[0]), reload(failed[1])
    assert (again.status, again.attempts, again.next_attempt_at) == ("pending", 2, None)
    assert still.status == "failed"
    assert send_batch().sent == 1 and reload(failed[0]).status == "sent"
    assert smtp.inbox.per_message_id() == {failed[0].message_id: 1}
    assert db.session.scalar(db.select(db.func.count(MailAttempt.id)).filter_by(mail_id=failed[0].id)) == 3


def test_retry_all_puts_every_failed_mail_back(failed, login_as):
    login_as("admin").post("/admin/mail/retry-failed")
    assert {reload(mail).status for mail in failed} == {"pending"}


def test_retry_of_a_mail_that_has_not_failed_changes_nothing(world, login_as):
    mail = queue(world)[0]
    body = login_as("admin").post(f"/admin/mail/{mail.id}/retry", follow_redirects=True).get_data(as_text=True)
    assert "Thư này không ở trạng thái gửi lỗi." in body and reload(mail).status == "pending"
