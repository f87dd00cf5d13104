"""Every request has an id (kept from a proxy when well formed), sent back, logged, and shown on the error page;
log lines as text or JSON, one access line per request, exceptions with their traceback."""
from __future__ import annotations

import logging
from datetime import datetime

import pytest

from ocop_tracker.logging_setup import StderrHandler

from .conftest import BOOM, add_failing_route, json_lines, signed_in


@pytest.mark.parametrize("incoming", ["proxy-0123456789abcdef", "a.b_c-1234"])
def test_a_well_formed_incoming_request_id_is_kept(client, incoming):
    assert client.get("/healthz", headers={"X-Request-ID": incoming}).headers["X-Request-ID"] == incoming


@pytest.mark.parametrize("incoming", ["short", "x" * 65, "evil-id\nforged line", "id with spaces", "a/b/c/d/e/f"])
def test_a_malformed_incoming_request_id_is_replaced(client, incoming):
    returned = client.get("/healthz", environ_base={"HTTP_X_REQUEST_ID": incoming}).headers["X-Request-ID"]
    assert returned != incoming and len(returned) == 32 and int(returned, 16) >= 0


def test_each_request_gets_its_own_id(client):
    assert client.get("/healthz").headers["X-Request-ID"] != client.get("/healthz").headers["X-Request-ID"]


def test_the_error_page_shows_the_request_id(login_as, world):
    response = login_as("producer").get("/dossiers/999999", headers={"X-Request-ID": "ticket-0042-abc"})
    assert response.status_code == 404
    assert 'Mã yêu cầu: <code id="request-id">ticket-0042-abc</code>' in response.get_data(as_text=True)


def test_an_api_error_keeps_the_contracts_body_and_gives_the_id_in_the_header(client):
    response = client.get("/api/v1/me", headers={"X-Request-ID": "api-call-00000001"})
    assert response.status_code == 401
    assert set(response.get_json()) == {"error"}
    assert set(response.get_json()["error"]) == {"code", "message", "details"}
    assert response.headers["X-Request-ID"] == "api-call-00000001"


def test_json_access_lines_carry_the_request_and_the_user(make_app, world, capsys):
    client = signed_in(make_app(LOG_FORMAT="json"), "producer")
    capsys.readouterr()
    response = client.get("/", headers={"X-Request-ID": "support-ticket-42"})
    access = [line for line in json_lines(capsys.readouterr().err) if line["logger"] == "ocop_tracker.access"]
    assert len(access) == 1
    line = access[0]
    assert {key: line[key] for key in ("level", "request_id", "method", "path", "status", "remote_addr", "user_id")} \
        == {"level": "INFO", "request_id": "support-ticket-42", "method": "GET", "path": "/", "status": 200,
            "remote_addr": "127.0.0.1", "user_id": world["producer"].id}
    assert response.status_code == 200 and line["duration_ms"] >= 0
    assert datetime.fromisoformat(line["time"]).utcoffset().total_seconds() == 0
    assert line["message"].startswith("GET / 200 ")


def test_json_lines_written_inside_a_request_carry_its_id(make_app, world, capsys):
    client = make_app(LOG_FORMAT="json").test_client()
    capsys.readouterr()
    client.post("/login", data={"username": "producer", "password": "wrong-password"},
                headers={"X-Request-ID": "failed-sign-in-1"})
    lines = json_lines(capsys.readouterr().err)
    warning = [line for line in lines if line["message"].startswith("failed sign-in")]
    assert len(warning) == 1
    assert warning[0]["request_id"] == "failed-sign-in-1" and warning[0]["path"] == "/login"
    assert warning[0]["level"] == "WARNING" and "user_id" not in warning[0]


def test_an_unexpected_error_is_logged_with_its_traceback_and_its_id_shown(make_app, world, capsys):
    failing = make_app(LOG_FORMAT="json", TESTING=False)
    add_failing_route(failing)
    client = signed_in(failing, "producer")
    capsys.readouterr()
    response = client.get("/test-only/boom")
    assert response.status_code == 500
    request_id = response.headers["X-Request-ID"]
    assert f'<code id="request-id">{request_id}</code>' in response.get_data(as_text=True)
    assert BOOM not in response.get_data(as_text=True)
    errors = [line for line in json_lines(capsys.readouterr().err) if line["level"] == "ERROR"]
    assert len(errors) == 1 and errors[0]["request_id"] == request_id
    assert errors[0]["exception"].startswith("Traceback") and f"RuntimeError: {BOOM}" in errors[0]["exception"]


def test_text_lines_show_the_request_id(make_app, capsys):
    client = make_app().test_client()
    capsys.readouterr()
    client.get("/login", headers={"X-Request-ID": "text-format-1"})
    err = capsys.readouterr().err
    assert " INFO ocop_tracker.access [text-format-1] GET /login 200 " in err


def test_passing_probes_write_no_access_line_but_a_failing_one_does(make_app, tmp_path, capsys):
    folder = tmp_path / "uploads"
    healthy, broken = make_app(LOG_FORMAT="json"), make_app(LOG_FORMAT="json", STORAGE_FOLDER=str(folder))
    folder.rmdir()  # the broken app's storage goes away after start-up
    capsys.readouterr()
    healthy.test_client().get("/healthz")
    healthy.test_client().get("/readyz")
    assert json_lines(capsys.readouterr().err) == []
    broken.test_client().get("/readyz")
    lines = json_lines(capsys.readouterr().err)
    assert [(line["logger"], line.get("status")) for line in lines] == [
        ("ocop_tracker.health.views", None), ("ocop_tracker.access", 503)]


def test_a_password_reset_token_in_the_address_is_not_logged(make_app, capsys):
    client = make_app(LOG_FORMAT="json").test_client()
    capsys.readouterr()
    client.get("/password/reset/secret-reset-token-123")
    err = capsys.readouterr().err
    assert "secret-reset-token-123" not in err
    assert [line["path"] for line in json_lines(err)] == ["/password/reset/<token>"]


def test_building_the_app_again_does_not_add_a_handler(make_app, capsys):
    make_app(LOG_FORMAT="json")
    make_app()
    handlers = [h for h in logging.getLogger("ocop_tracker").handlers if isinstance(h, StderrHandler)]
    assert len(handlers) == 1
    capsys.readouterr()
    logging.getLogger("ocop_tracker.test").warning("once only")
    assert capsys.readouterr().err.count("once only") == 1


def test_an_unknown_log_format_stops_the_start(make_app):
    with pytest.raises(RuntimeError, match="LOG_FORMAT must be one of text, json, not 'xml'"):
        make_app(LOG_FORMAT="xml")
