"""A real OCOP Tracker on a free loopback port with the demo data, and headless Chromium to drive it.

Shared by the browser tests and docs/make_screenshots.py, so both show what a newcomer would see.
"""
from __future__ import annotations

import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask
from flask_migrate import upgrade
from playwright.sync_api import expect
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from ocop_tracker import create_app
from ocop_tracker.demo import DEMO_PASSWORD, seed_demo
from ocop_tracker.extensions import db

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
# No downloads, no updates, no first-run pages: only loopback networking exists where the tests run.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def chromium_path() -> str | None:
    """The Chromium to drive: OCOP_CHROMIUM when set, else Debian's; None when there is none."""
    chosen = os.environ.get("OCOP_CHROMIUM")
    for candidate in [chosen] if chosen else [*CHROMIUM_CANDIDATES, shutil.which("chromium")]:
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def launch_chromium(playwright, executable: str):
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)


def open_page(browser, viewport: dict):
    """A page in a fresh browser context (one person, own cookies), set up like a browser in Vietnam."""
    context = browser.new_context(viewport=viewport, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    context.set_default_timeout(15_000)
    return context.new_page()


class _QuietHandler(WSGIRequestHandler):
    """Errors are still logged; one line per request (and per static file) would bury them."""

    def log_request(self, code="-", size="-") -> None:
        pass


@dataclass
class LiveServer:
    """The app served by werkzeug in a background thread."""

    app: Flask
    server: BaseWSGIServer
    thread: threading.Thread

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=10)
        self.server.server_close()
        with self.app.app_context():
            db.engine.dispose()


def demo_app(instance_path: Path) -> Flask:
    """The real app on a fresh SQLite file built by the migrations and seeded with the demo data."""
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{instance_path / 'e2e.sqlite3'}",
        "SECRET_KEY": "e2e-fixed-secret-key",
        "WTF_CSRF_ENABLED": True,  # the real thing: every form must carry its token
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",  # fast hashing; the method itself is unchanged
    }, instance_path=str(instance_path))
    with app.app_context():
        upgrade()
        seed_demo()
        db.session.commit()
        db.session.remove()
    return app


def start_live_server(instance_path: Path) -> LiveServer:
    """Serve a seeded demo app on 127.0.0.1 and a free port until stop()."""
    app = demo_app(instance_path)
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="ocop-e2e-server", daemon=True)
    thread.start()
    return LiveServer(app=app, server=server, thread=thread)


def open_phone_menu(page, label: str = "Mở menu") -> None:
    """Open the collapsed menu and wait until Bootstrap's opening animation has ended.

    A click on a menu button while the menu is still `collapsing` was sometimes lost (about 1 run in 3).
    """
    page.get_by_role("button", name=label).click()
    expect(page.locator("#nav-main.collapse.show")).to_be_visible()


def sign_in(page, base_url: str, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the real form, as a person would."""
    page.goto(f"{base_url}/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    # Signed in once the form has sent us on; navigating earlier could cancel the answer and its cookie.
    page.wait_for_url(lambda url: not urlsplit(url).path.startswith("/login"))
