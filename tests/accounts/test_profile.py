"""The profile: own details, language, and a password change that signs other browsers out."""
from __future__ import annotations

from ocop_tracker.accounts.models import User
from ocop_tracker.extensions import db

from ..factories import PASSWORD

NEW_PASSWORD = "mat-khau-moi-1"


def stored(username: str) -> User:
    db.session.expire_all()
    return db.session.scalar(db.select(User).filter_by(username=username))


def details(**values) -> dict:
    return {"full_name": "Đinh Thị Lan", "email": "lan@htx.vn", "locale": "vi"} | values


def test_profile_shows_own_details(world, login_as):
    body = login_as("producer").get("/profile").get_data(as_text=True)
    assert "producer" in body and "Chủ thể OCOP" in body and "HTX Chuối Viba" in body


def test_language_change_persists_and_next_page_is_english(world, login_as):
    client = login_as("producer")
    assert client.post("/profile", data=details(locale="en")).status_code == 302
    assert stored("producer").locale == "en"
    assert 'lang="en"' in client.get("/").get_data(as_text=True)


def test_details_saved_with_vietnamese_text(world, login_as):
    login_as("producer").post("/profile", data=details(email=""))
    user = stored("producer")
    assert (user.full_name, user.email, user.locale) == ("Đinh Thị Lan", None, "vi")


def test_bad_email_refused(world, login_as):
    response = login_as("producer").post("/profile", data=details(email="not-an-email"))
    assert response.status_code == 422 and stored("producer").email == "producer@test.local"


def test_password_change_needs_the_current_password(world, login_as):
    response = login_as("producer").post("/profile/password", data={
        "current_password": "wrong-password", "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 422
    assert "Mật khẩu hiện tại không đúng." in response.get_data(as_text=True)
    assert stored("producer").check_password(PASSWORD)


def test_new_password_needs_eight_characters_and_confirmation(world, login_as):
    client = login_as("producer")
    client.post("/profile/password", data={"current_password": PASSWORD, "new_password": "short", "confirm": "short"})
    client.post("/profile/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD,
                                           "confirm": NEW_PASSWORD + "x"})
    assert stored("producer").check_password(PASSWORD)


def test_password_change_signs_out_other_browsers_only(world, login_as, browser, app):
    phone = browser("producer")
    laptop = login_as("producer")
    response = laptop.post("/profile/password", data={
        "current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert laptop.get("/").status_code == 200
    refused = phone.get("/")
    assert refused.status_code == 302 and refused.location.startswith("/login")
    fresh = app.test_client()
    assert fresh.post("/login", data={"username": "producer", "password": NEW_PASSWORD}).status_code == 302


def test_mail_preference_is_saved(world, login_as):
    assert login_as("producer").post("/profile", data=details(mail_preference="summary")).status_code == 302
    assert stored("producer").mail_preference == "summary"
