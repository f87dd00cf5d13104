"""Browser fixtures: one live demo server (SQLite, CSRF on), headless Chromium, pages saved on failure.

Runs once, on SQLite, whatever OCOP_TEST_DATABASE_URL says: the fixtures here never touch the per-backend
database of tests/conftest.py. Without a Chromium executable every test of this folder is skipped.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from .live import DESKTOP, chromium_path, launch_chromium, open_page, start_live_server

HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE.parent.parent / "test-artifacts" / "e2e"
CHROMIUM = chromium_path()
SKIP_REASON = ("browser end-to-end tests skipped: no Chromium executable (OCOP_CHROMIUM, else /usr/bin/chromium "
               "or chromium on PATH; on Debian: apt-get install chromium)")


def pytest_configure(config):
    config.addinivalue_line("markers", "e2e: drives the live app in headless Chromium (tests/e2e)")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.e2e)
            if CHROMIUM is None:
                item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


def pytest_terminal_summary(terminalreporter):
    if CHROMIUM is None:
        terminalreporter.write_line(SKIP_REASON, yellow=True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so fixtures can tell a failed test at teardown."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    server = start_live_server(tmp_path_factory.mktemp("e2e-instance"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    return live_server.url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright, CHROMIUM)
        yield chromium
        chromium.close()


@pytest.fixture()
def new_page(browser, request):
    """Open a page in a fresh browser context (one person, own cookies); saved if the test fails."""
    opened = []

    def open_person(label: str, viewport: dict = DESKTOP):
        page = open_page(browser, viewport)
        opened.append((label, page))
        return page

    yield open_person
    reports = (getattr(request.node, f"report_{when}", None) for when in ("setup", "call"))
    failed = any(report is not None and report.failed for report in reports)
    for number, (label, page) in enumerate(opened, start=1):
        if failed:
            _save_page(page, ARTIFACTS / _safe_name(request.node.name), f"{number}-{label}")
        page.context.close()


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name)[:120]


def _save_page(page, folder: Path, stem: str) -> None:
    """A full-page screenshot and the HTML of the page as it was when the test failed."""
    folder.mkdir(parents=True, exist_ok=True)
    try:
        page.screenshot(path=str(folder / f"{stem}.png"), full_page=True)
        (folder / f"{stem}.html").write_text(page.content(), encoding="utf-8")
    except Exception as error:  # noqa: BLE001  a crashed page must not hide the test's own failure
        (folder / f"{stem}.error.txt").write_text(repr(error), encoding="utf-8")
