"""Screenshots of the main pages for the README, taken from a live demo server in headless Chromium.

Run from the project folder: .venv/bin/python docs/make_screenshots.py  (writes docs/screenshots/*.png)
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: the project's packages are beside docs/

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from ocop_tracker.dossiers.models import Dossier  # noqa: E402
from ocop_tracker.extensions import db  # noqa: E402
from ocop_tracker.products.models import Product  # noqa: E402
from tests.e2e.live import (DESKTOP, PHONE, chromium_path, launch_chromium, open_page, sign_in,  # noqa: E402
                            start_live_server)

OUT = ROOT / "docs" / "screenshots"
MAX_HEIGHT = 1600  # keeps each PNG small; the top of a page is what a reader needs

# (file, user or None, viewport, product whose dossier the page is about or None, path under the dossier or site)
SHOTS = [
    ("01-login.png", None, PHONE, None, "/login"),
    ("02-producer-my-dossiers.png", "coop.mytan", PHONE, None, "/"),
    ("03-producer-task-list.png", "coop.mytan", PHONE, "Bưởi đỏ Mỹ Tân", ""),
    ("04-documents.png", "coop.caoxaden", PHONE, "Cao xạ đen Cao Dương", "/documents"),
    ("05-check-answers-returned.png", "coop.caoxaden", PHONE, "Cao xạ đen Cao Dương", "/check-answers"),
    ("06-commune-work-queue.png", "officer.caoduong", DESKTOP, None, "/"),
    ("07-commune-check.png", "officer.caoduong", DESKTOP, "Bưởi Mỹ Tân", ""),
    ("08-provincial-review.png", "officer.phutho", DESKTOP, "Mật ong hoa rừng Mỹ Tân", ""),
    ("09-council-scoring.png", "council.phutho1", DESKTOP, "Tinh bột nghệ đen Nhưng Vần", "/scores"),
    ("10-decision-form.png", "officer.phutho", DESKTOP, None, "/decisions/record"),
    ("11-certificate.png", "coop.viba", DESKTOP, "Chuối tiêu Viba", "#certificate"),
    ("13-rule-sets.png", "admin", DESKTOP, None, "/admin/rule-sets"),
    ("15-work-queue.png", "officer.phutho", DESKTOP, None, "/?sort=due"),
    ("16-review-form.png", "officer.lienson", PHONE, "Chuối sấy dẻo Viba", "/documents/review"),
]


def dossier_ids(app) -> dict[str, int]:
    """Demo product name → its dossier id."""
    with app.app_context():
        rows = db.session.execute(db.select(Product.name, Dossier.id).join(Dossier.product))
        return dict(rows.all())


def save(page: Page, name: str) -> Path:
    """The top of the page, at most MAX_HEIGHT pixels tall."""
    height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT)
    path = OUT / name
    page.screenshot(path=str(path), full_page=True,
                    clip={"x": 0, "y": 0, "width": page.viewport_size["width"], "height": height})
    return path


def save_section(page: Page, name: str, selector: str) -> Path:
    """A section scrolled to the top of the window (fragment links do the same for a person)."""
    # At once (Bootstrap scrolls smoothly), a little above the section so that its border shows.
    page.locator(selector).evaluate(
        "element => window.scrollTo({top: element.getBoundingClientRect().top + window.scrollY - 12, behavior: 'instant'})")
    path = OUT / name
    page.screenshot(path=str(path))
    return path


def take(browser, base_url: str, ids: dict[str, int], shot) -> Path:
    name, user, viewport, product, path = shot
    page = open_page(browser, viewport)
    if user:
        sign_in(page, base_url, user)
    url = f"{base_url}/dossiers/{ids[product]}{path}" if product else f"{base_url}{path}"
    response = page.goto(url)
    if not response.ok:  # a screenshot of an error page would mislead the README's reader
        raise RuntimeError(f"{name}: {url} answered {response.status}")
    saved = save_section(page, name, path) if path.startswith("#") else save(page, name)
    page.context.close()
    return saved


def printable_certificate(browser, base_url: str, ids: dict[str, int]) -> Path:
    """The certificate PDF as the producer downloads it, its first page drawn as a PNG (pypdfium2)."""
    import pypdfium2  # a docs-only tool: `pip install pypdfium2`

    page = open_page(browser, DESKTOP)
    sign_in(page, base_url, "coop.viba")
    response = page.request.get(f"{base_url}/dossiers/{ids['Chuối tiêu Viba']}/certificate.pdf")
    if not response.ok:
        raise RuntimeError(f"certificate PDF answered {response.status}")
    data = response.body()
    page.context.close()
    path = OUT / "12-printable-certificate.png"
    pypdfium2.PdfDocument(data)[0].render(scale=1.2).to_pil().save(path)
    return path


def on_phone(browser, base_url: str, user: str, path: str) -> Page:
    """A page of the demo as `user` sees it on a phone."""
    page = open_page(browser, PHONE)
    sign_in(page, base_url, user)
    page.goto(f"{base_url}{path}")
    return page


def receipt(browser, base_url: str, ids: dict[str, int]) -> Path:
    """The producer's receipt on a phone, as the confirmation page after filing shows it."""
    page = on_phone(browser, base_url, "coop.viba", f"/dossiers/{ids['Chuối sấy dẻo Viba']}/receipt")
    saved = save(page, "17-receipt.png")
    page.context.close()
    return saved


def sheet_scoring(browser, base_url: str, ids: dict[str, int]) -> Path:
    """The third council member on a phone, a few criteria of the official sheet ticked, the totals running."""
    page = on_phone(browser, base_url, "council.phutho3", f"/dossiers/{ids['Tinh bột nghệ đen Nhưng Vần']}/scores")
    for criterion in page.locator("[data-criterion]").all()[:3]:
        criterion.locator("input[type=radio]").nth(1).check()
    saved = save_section(page, "18-sheet-scoring-phone.png", "#own-sheet")
    page.context.close()
    return saved


def upgrade_plan(browser, base_url: str, ids: dict[str, int]) -> Path:
    """The upgrade plan of the demo's 3★ tea on the producer's phone: the section itself."""
    page = on_phone(browser, base_url, "coop.mytan", f"/dossiers/{ids['Chè Mỹ Tân']}")
    path = OUT / "19-upgrade-plan.png"
    page.locator("#upgrade-plan").screenshot(path=str(path))
    page.context.close()
    return path


def english_page(browser, base_url: str, ids: dict[str, int]) -> Path:
    """The producer switches to English on the dossier page, with the switch every page carries."""
    page = open_page(browser, DESKTOP)
    sign_in(page, base_url, "coop.viba")
    page.goto(f"{base_url}/dossiers/{ids['Chuối tiêu Viba']}")
    page.get_by_role("button", name="EN English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    saved = save(page, "14-english-dossier.png")
    page.context.close()
    return saved


def main() -> int:
    executable = chromium_path()
    if executable is None:
        print("No Chromium executable (set OCOP_CHROMIUM or install Debian's chromium).", file=sys.stderr)
        return 1
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="ocop-screens-") as instance, sync_playwright() as playwright:
        server = start_live_server(Path(instance))
        browser = launch_chromium(playwright, executable)
        try:
            ids = dossier_ids(server.app)
            saved = [take(browser, server.url, ids, shot) for shot in SHOTS]
            saved.append(sheet_scoring(browser, server.url, ids))
            saved.append(upgrade_plan(browser, server.url, ids))
            saved.append(printable_certificate(browser, server.url, ids))
            saved.append(receipt(browser, server.url, ids))  # before the English page: the switch sticks to coop.viba
            saved.append(english_page(browser, server.url, ids))
        finally:
            browser.close()
            server.stop()
    for path in saved:
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
