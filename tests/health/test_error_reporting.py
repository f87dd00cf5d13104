"""SENTRY_DSN: an unexpected error reaches a Sentry-compatible server (here a local stand-in) with the request id,
without personal data; a DSN without the sentry-sdk package stops the start with a clear message."""
from __future__ import annotations

import gzip
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

sentry_sdk = pytest.importorskip("sentry_sdk")

from .conftest import BOOM, add_failing_route, signed_in


class _Store(BaseHTTPRequestHandler):
    """Takes envelopes as Sentry's (and GlitchTip's) /api/<project>/envelope/ endpoint does."""

    received: ClassVar[list[tuple[str, bytes]]] = []  # one store for every request's handler

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        self.received.append((self.path, body))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):  # quiet
        pass


@pytest.fixture()
def sentry_server():
    _Store.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Store)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    sentry_sdk.flush(timeout=5)
    sentry_sdk.get_client().close()
    sentry_sdk.get_global_scope().set_client(None)  # later tests run without reporting
    server.shutdown()
    server.server_close()


def _events(received: list[tuple[str, bytes]]) -> list[dict]:
    """The error events in the envelopes (an envelope is JSON lines: header, then item header and payload pairs)."""
    found = []
    for _path, body in received:
        for line in body.splitlines():
            try:
                item = json.loads(line)
            except ValueError:
                continue
            if isinstance(item, dict) and "exception" in item:
                found.append(item)
    return found


def test_an_unexpected_error_reaches_the_error_server(make_app, world, sentry_server):
    port = sentry_server.server_address[1]
    failing = make_app(TESTING=False, SENTRY_DSN=f"http://publickey@127.0.0.1:{port}/7",
                       SENTRY_ENVIRONMENT="province-test")
    add_failing_route(failing)
    client = signed_in(failing, "producer")
    response = client.get("/test-only/boom", headers={"X-Request-ID": "sentry-test-0001"})
    assert response.status_code == 500
    sentry_sdk.flush(timeout=5)
    assert {path for path, _ in _Store.received} == {"/api/7/envelope/"}
    events = _events(_Store.received)
    assert len(events) == 1
    event = events[0]
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert event["exception"]["values"][-1]["value"] == BOOM
    assert event["tags"]["request_id"] == "sentry-test-0001"
    assert event["environment"] == "province-test"
    assert event["release"].startswith("ocop-tracker@")
    everything = b"".join(body for _, body in _Store.received).decode()
    assert "ocop_session" not in everything and "127.0.0.1" not in everything.replace(f"127.0.0.1:{port}", "")


def test_no_dsn_sends_nothing(make_app, world, sentry_server):
    failing = make_app(TESTING=False)
    add_failing_route(failing)
    assert signed_in(failing, "producer").get("/test-only/boom").status_code == 500
    sentry_sdk.flush(timeout=2)
    assert _Store.received == []


def test_a_dsn_without_the_package_stops_the_start(make_app, monkeypatch):
    monkeypatch.setitem(sys.modules, "sentry_sdk", None)  # as if the [sentry] extra was not installed
    with pytest.raises(RuntimeError, match=r"SENTRY_DSN is set but sentry-sdk is not installed: "
                                           r"pip install 'ocop-tracker\[sentry\]'"):
        make_app(SENTRY_DSN="http://publickey@127.0.0.1:9/1")
