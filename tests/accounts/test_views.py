"""Sign-in: login required by default, one message for every failure, safe next=, POST sign-out."""
import pytest

from ..factories import PASSWORD


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_login_page_is_public_and_vietnamese(client):
    body = client.get("/login").get_data(as_text=True)
    assert "Đăng nhập" in body and 'lang="vi"' in body


@pytest.mark.parametrize("username, password", [("producer", "wrong-password"), ("nobody", PASSWORD)])
def test_failed_sign_in_says_the_same(client, world, username, password):
    body = client.post("/login", data={"username": username, "password": password}).get_data(as_text=True)
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in body


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil"])
def test_next_only_redirects_inside_the_site(client, world, target):
    response = client.post(f"/login?next={target}", data={"username": "producer", "password": PASSWORD})
    assert response.location == "/"


def test_sign_out_is_a_post(client, login_as, world):
    login_as("producer")
    assert client.get("/logout").status_code == 405
    client.post("/logout")
    assert client.get("/").status_code == 302


def test_producer_list_shows_only_their_organisation(world, login_as):
    from ocop_tracker.extensions import db

    from ..factories import new_dossier

    new_dossier(world, name="Chuối tiêu Viba")
    db.session.commit()
    assert "Chuối tiêu Viba" in login_as("producer").get("/").get_data(as_text=True)


def test_other_organisation_sees_nothing(world, client):
    from ocop_tracker.extensions import db

    from ..factories import new_dossier

    new_dossier(world, name="Chuối tiêu Viba")
    db.session.commit()
    client.post("/login", data={"username": "other_producer", "password": PASSWORD})
    assert "Chuối tiêu Viba" not in client.get("/").get_data(as_text=True)
