"""Password reset by email: one answer for every name, a single-use expiring link stored hashed, the brake,
and every sign-in and API token of the account ended by the reset."""
from __future__ import annotations

import hashlib
import logging
import re
from datetime import timedelta

import pytest

from ocop_tracker.accounts.models import ApiToken, PasswordResetToken, User
from ocop_tracker.accounts.password_reset import live_reset_token, request_password_reset
from ocop_tracker.activity.models import ActivityRecord
from ocop_tracker.api.tokens import issue_api_token, live_api_token
from ocop_tracker.extensions import db
from ocop_tracker.models_base import utcnow
from ocop_tracker.notifications.models import OutboxMail
from ocop_tracker.notifications.sender import REDACTED, send_batch

from ..factories import PASSWORD

NEW_PASSWORD = "mat-khau-moi-2"
SENT = "Nếu tài khoản tồn tại và có địa chỉ thư, chúng tôi đã gửi hướng dẫn"
LINK = re.compile(r"https?://[^\s\"<]+/password/reset/([A-Za-z0-9_-]+)")


def ask(client, identifier: str, address: str = "203.0.113.7"):
    return client.post("/password/forgot", data={"identifier": identifier}, environ_base={"REMOTE_ADDR": address})


def reset_mails() -> list[OutboxMail]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(OutboxMail).filter_by(kind="account.password_reset")
                                   .order_by(OutboxMail.id)))


def link_token(mail: OutboxMail) -> str:
    """The raw token, read from the mail the way its reader would follow it."""
    return LINK.search(mail.body_text).group(1)


def requested_token(client, identifier: str = "producer") -> str:
    assert SENT in ask(client, identifier).get_data(as_text=True)
    return link_token(reset_mails()[-1])


def choose(client, token: str, password: str = NEW_PASSWORD, confirm: str | None = None):
    return client.post(f"/password/reset/{token}", data={"new_password": password, "confirm": confirm or password})


def stored(username: str) -> User:
    db.session.expire_all()
    return db.session.scalar(db.select(User).filter_by(username=username))


def test_sign_in_page_links_to_forgot_password(client):
    body = client.get("/login").get_data(as_text=True)
    assert "Quên mật khẩu?" in body and 'href="/password/forgot"' in body
    assert client.get("/password/forgot").status_code == 200  # no sign-in needed


def test_answer_is_the_same_and_only_a_real_active_user_with_an_address_gets_mail(world, client):
    world["officer"].active = False
    world["other_producer"].email = None
    db.session.commit()
    answers = {name: ask(client, name) for name in ("producer", "nobody", "officer", "other_producer")}
    assert {response.status_code for response in answers.values()} == {200}
    assert len({response.get_data(as_text=True) for response in answers.values()}) == 1
    assert SENT in answers["nobody"].get_data(as_text=True)
    mails = reset_mails()
    assert [(mail.recipient_id, mail.to_address) for mail in mails] == [(world["producer"].id, "producer@test.local")]
    assert db.session.scalar(db.select(db.func.count(PasswordResetToken.id))) == 1


def test_email_address_names_the_account_whatever_its_case(world, client):
    ask(client, "PRODUCER@test.local")
    assert [mail.recipient_id for mail in reset_mails()] == [world["producer"].id]


def test_mail_has_the_link_and_expiry_in_the_recipients_language(app, world, client):
    app.config["BASE_URL"] = "https://ocop.example.org"
    world["producer"].locale = "en"
    db.session.commit()
    ask(client, "producer")
    mail = reset_mails()[0]
    token = link_token(mail)
    assert f"https://ocop.example.org/password/reset/{token}" in mail.body_text
    assert f"https://ocop.example.org/password/reset/{token}" in mail.body_html
    assert mail.subject.startswith("[OCOP] ") and "producer" in mail.subject
    assert 'lang="en"' in mail.body_html and "30" in mail.body_text
    expires = db.session.scalar(db.select(PasswordResetToken)).expires_at.replace(tzinfo=None) + timedelta(hours=7)
    assert f"{expires.day} {expires:%b %Y, %H:%M}" in mail.body_text  # Vietnam time, in the English format


def test_token_is_stored_only_as_its_hash(world, client):
    token = requested_token(client)
    row = db.session.scalar(db.select(PasswordResetToken))
    assert len(token) >= 43  # 32 random bytes, URL-safe
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest() and token not in row.token_hash
    assert row.user_id == world["producer"].id and row.requested_from == "203.0.113.7"


def test_reset_sets_the_password_and_the_link_works_once(world, client, app):
    token = requested_token(client)
    page = client.get(f"/password/reset/{token}")
    assert "Đặt mật khẩu mới" in page.get_data(as_text=True) and "Tài khoản: producer" in page.get_data(as_text=True)
    assert page.headers["Referrer-Policy"] == "no-referrer"  # the token in the address goes nowhere else
    response = choose(client, token)
    assert response.status_code == 302 and response.location == "/login"
    assert "Đã đặt mật khẩu mới; hãy đăng nhập." in client.get("/login").get_data(as_text=True)
    assert stored("producer").check_password(NEW_PASSWORD) and not stored("producer").check_password(PASSWORD)
    again = choose(client, token, "mat-khau-khac-3")
    assert again.status_code == 404 and "yêu cầu một liên kết mới" in again.get_data(as_text=True)
    assert client.get(f"/password/reset/{token}").status_code == 404
    assert stored("producer").check_password(NEW_PASSWORD)
    fresh = app.test_client()
    assert fresh.post("/login", data={"username": "producer", "password": NEW_PASSWORD}).status_code == 302


def test_link_expires_after_the_configured_minutes(app, world, client):
    token = requested_token(client)
    row = db.session.scalar(db.select(PasswordResetToken))
    assert timedelta(minutes=29) < row.expires_at.replace(tzinfo=None) - utcnow().replace(tzinfo=None) \
        <= timedelta(minutes=30)
    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert client.get(f"/password/reset/{token}").status_code == 404
    assert choose(client, token).status_code == 404
    assert stored("producer").check_password(PASSWORD)


def test_lifetime_comes_from_configuration(app, world):
    app.config["PASSWORD_RESET_MINUTES"] = 5
    request_password_reset("producer", address="-", now=utcnow() - timedelta(minutes=6))
    db.session.commit()
    token = link_token(reset_mails()[0])
    assert live_reset_token(token) is None
    assert live_reset_token(token, now=utcnow() - timedelta(minutes=5, seconds=30)) is not None


def test_a_new_link_ends_the_older_unused_ones(world, client):
    first = requested_token(client)
    second = requested_token(client)
    assert choose(client, first).status_code == 404
    assert choose(client, second).status_code == 302


def test_reset_ends_every_sign_in_and_api_token(world, client, browser, app):
    phone, laptop = browser("producer"), browser("producer")
    raw_api, _token = issue_api_token(world["producer"], actor=world["producer"], name="cổng tỉnh")
    db.session.commit()
    assert phone.get("/").status_code == 200
    assert choose(client, requested_token(client)).status_code == 302
    for signed_in_before in (phone, laptop):
        refused = signed_in_before.get("/")
        assert refused.status_code == 302 and refused.location.startswith("/login")
    assert live_api_token(raw_api) is None
    assert app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw_api}"}).status_code == 401
    db.session.expire_all()
    assert db.session.scalar(db.select(ApiToken)).revoked_at is not None
    assert app.test_client().post("/login", data={"username": "producer", "password": PASSWORD}).status_code == 200


def test_new_password_needs_eight_characters_and_confirmation(world, client):
    token = requested_token(client)
    short = choose(client, token, "short")
    assert short.status_code == 422 and "Ít nhất 8 ký tự" in short.get_data(as_text=True)
    mismatch = choose(client, token, NEW_PASSWORD, NEW_PASSWORD + "x")
    assert mismatch.status_code == 422 and "Hai mật khẩu không khớp." in mismatch.get_data(as_text=True)
    assert stored("producer").check_password(PASSWORD)
    assert choose(client, token).status_code == 302  # the refused tries did not spend the link


def test_link_of_a_deactivated_account_stops_working(world, client):
    token = requested_token(client)
    world["producer"].active = False
    db.session.commit()
    assert choose(client, token).status_code == 404


def test_outsider_cannot_reset_another_users_password_without_the_token(world, client, login_as):
    requested_token(client)  # a real link exists, in the producer's mailbox only
    row = db.session.scalar(db.select(PasswordResetToken))
    outsider = login_as("other_producer")
    for guess in ("submit", "A" * 43, row.token_hash):
        assert outsider.get(f"/password/reset/{guess}").status_code == 404
        assert choose(outsider, guess).status_code == 404
    assert ask(outsider, "producer").status_code == 200
    assert {mail.to_address for mail in reset_mails()} == {"producer@test.local"}
    assert stored("producer").check_password(PASSWORD)


@pytest.mark.parametrize("first, second, address", [
    ("producer", "producer", "198.51.100.9"),  # per name: from another address too
    ("nobody-1", "nobody-2", "203.0.113.7"),  # per address: whatever names it tries
])
def test_the_reset_brake_slows_requests_per_name_and_per_address(app, world, client, first, second, address):
    app.config["SIGN_IN_FREE_FAILURES"] = app.config["SIGN_IN_ADDRESS_FREE_FAILURES"] = 2
    ask(client, first)
    ask(client, second)
    response = ask(client, "producer", address)
    assert response.status_code == 429 and "thử lại sau" in response.get_data(as_text=True)
    assert len(reset_mails()) == (2 if first == "producer" else 0)


def test_request_and_reset_are_logged_without_the_token(world, client, caplog):
    caplog.set_level(logging.INFO, logger="ocop_tracker.accounts")
    token = requested_token(client)
    ask(client, "nobody")
    choose(client, token)
    db.session.expire_all()
    records = list(db.session.scalars(db.select(ActivityRecord).order_by(ActivityRecord.id)))
    assert [(r.action, r.actor_id, r.data.get("sent")) for r in records] == [
        ("account.password_reset_requested", world["producer"].id, True),
        ("account.password_reset_requested", None, False),
        ("account.password_reset", world["producer"].id, None)]
    assert all(token not in str(r.data) and hashlib.sha256(token.encode()).hexdigest() not in str(r.data)
               for r in records)
    assert "password reset link mailed" in caplog.text and "password reset through a mailed link" in caplog.text
    assert token not in caplog.text and NEW_PASSWORD not in caplog.text


def test_a_delivered_reset_mail_keeps_no_copy_of_the_link(world, client):
    """Whoever reads the database later (a backup, an administrator's outbox page) finds no usable link."""
    client.post("/password/forgot", data={"identifier": "producer"})
    mail = db.session.scalar(db.select(OutboxMail).filter_by(kind="account.password_reset"))
    link = re.search(r"/password/reset/[A-Za-z0-9_-]+", mail.body_text).group(0)
    assert send_batch().sent == 1  # no SMTP host in tests: the mail is written as an .eml file and counts as sent
    db.session.expire_all()
    sent = db.session.get(OutboxMail, mail.id)
    assert (sent.status, sent.body_text, sent.body_html) == ("sent", REDACTED, "")
    assert link not in sent.body_text
    assert client.get(link).status_code == 200  # the producer's own mail still carries a link that works
