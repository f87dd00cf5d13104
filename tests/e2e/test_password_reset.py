"""A producer who forgot the password, on a phone: asks for a link, follows it from the mail, sets a new
password and signs in with it."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from ocop_tracker.accounts.models import User
from ocop_tracker.demo import DEMO_PASSWORD
from ocop_tracker.extensions import db
from ocop_tracker.notifications.models import OutboxMail

from .live import PHONE, sign_in

USERNAME = "coop.mytan"
NEW_PASSWORD = "Che-My-Tan-2026"
LINK = re.compile(r"https?://\S+/password/reset/[A-Za-z0-9_-]+")


def mailed_link_path(live_server) -> str:
    """The path of the link in the newest reset mail waiting in the live server's outbox."""
    with live_server.app.app_context():
        mail = db.session.scalar(db.select(OutboxMail).join(User, OutboxMail.recipient_id == User.id)
                                 .where(OutboxMail.kind == "account.password_reset", User.username == USERNAME)
                                 .order_by(OutboxMail.id.desc()))
        assert mail is not None and mail.status == "pending"
        link = LINK.search(mail.body_text).group(0)
        db.session.remove()
    return urlsplit(link).path  # the mail points at BASE_URL; the live server listens on its own port


@pytest.fixture()
def demo_password_back(live_server):
    """The other browser tests sign in as the demo producer with the demo password: give it back."""
    yield
    with live_server.app.app_context():
        user = db.session.scalar(db.select(User).filter_by(username=USERNAME))
        user.set_password(DEMO_PASSWORD)
        db.session.commit()
        db.session.remove()


def test_producer_resets_a_forgotten_password_on_a_phone(new_page, base_url, live_server, demo_password_back):
    page = new_page("coop.mytan", PHONE)
    page.goto(f"{base_url}/login")
    page.get_by_role("link", name="Quên mật khẩu?").click()
    expect(page.get_by_role("heading", name="Quên mật khẩu")).to_be_visible()
    page.get_by_label("Tên đăng nhập hoặc email").fill(USERNAME)
    page.get_by_role("button", name="Gửi liên kết đặt lại mật khẩu").click()
    page.wait_for_load_state()
    expect(page.locator("#reset-sent")).to_contain_text("Nếu tài khoản tồn tại và có địa chỉ thư")

    path = mailed_link_path(live_server)
    page.goto(f"{base_url}{path}")
    expect(page.get_by_role("heading", name="Đặt mật khẩu mới")).to_be_visible()
    expect(page.get_by_text(f"Tài khoản: {USERNAME}")).to_be_visible()
    page.get_by_label("Mật khẩu mới", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Nhập lại mật khẩu mới").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Đặt mật khẩu mới").click()
    page.wait_for_url(re.compile(r"/login$"))
    expect(page.get_by_role("alert")).to_contain_text("Đã đặt mật khẩu mới; hãy đăng nhập.")

    sign_in(page, base_url, USERNAME, NEW_PASSWORD)
    expect(page.get_by_role("heading", name="Hồ sơ của tôi")).to_be_visible()

    page.goto(f"{base_url}{path}")  # the link worked once
    expect(page.get_by_role("heading", name="Liên kết không còn hiệu lực")).to_be_visible()
    expect(page.get_by_role("link", name="Yêu cầu liên kết mới")).to_be_visible()
