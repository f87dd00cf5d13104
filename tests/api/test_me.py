"""`/api/v1/me` as the contract says, and `/api/v1/summaries/me`: the token's user's own summary."""
from __future__ import annotations

from datetime import date

from ocop_tracker.summaries.services import summary_for

from ..factories import PASSWORD


def signed_in(client, username: str) -> dict:
    response = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
    return {"Authorization": f"Bearer {response.get_json()['token']}"}


def test_me_for_a_producer(world, client):
    body = client.get("/api/v1/me", headers=signed_in(client, "producer")).get_json()
    producer = world["producer"]
    assert {"username", "role", "organisation", "unit", "locale"} <= set(body)
    assert (body["username"], body["role"], body["locale"]) == ("producer", "producer", "vi")
    assert body["organisation"] == {"id": producer.organisation_id, "name": "HTX Chuối Viba"}
    assert body["unit"] is None


def test_me_for_an_officer_and_a_council_member(world, client):
    officer = client.get("/api/v1/me", headers=signed_in(client, "officer")).get_json()
    assert officer["role"] == "officer" and officer["organisation"] is None
    assert officer["unit"] == {"id": world.commune.id, "name": "Liên Sơn", "level": "commune"}
    member = client.get("/api/v1/me", headers=signed_in(client, "member")).get_json()
    assert (member["role"], member["organisation"], member["unit"]) == ("council_member", None, None)


def test_summary_of_the_token_user(app, world, client):
    app.config["TODAY"] = date(2026, 3, 10)
    response = client.get("/api/v1/summaries/me", headers=signed_in(client, "officer"))
    body = response.get_json()
    assert response.status_code == 200 and {"subject", "text", "html"} <= set(body)
    expected = summary_for(world["officer"], date(2026, 3, 10))
    assert (body["subject"], body["text"], body["html"]) == (expected.subject, expected.text, expected.html)


def test_summary_period_is_checked(world, client):
    headers = signed_in(client, "producer")
    assert client.get("/api/v1/summaries/me?period=weekly", headers=headers).get_json()["subject"].startswith(
        "[OCOP] Tóm tắt tuần")
    response = client.get("/api/v1/summaries/me?period=yearly", headers=headers)
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "invalid_parameter"


def test_summary_needs_a_token(world, client):
    assert client.get("/api/v1/summaries/me").status_code == 401
