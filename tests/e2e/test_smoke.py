"""The browser smoke test: sign in with a demo account, open a dossier, switch language, sign out."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from .live import PHONE, open_phone_menu, sign_in


def test_producer_signs_in_opens_dossier_switches_language_and_signs_out(new_page, base_url):
    page = new_page("coop.viba", PHONE)
    sign_in(page, base_url, "coop.viba")
    expect(page.get_by_role("heading", name="Hồ sơ của tôi")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "vi")

    page.locator("[data-dossier]").filter(has_text="Chuối tiêu Viba").click()
    expect(page.get_by_role("heading", name="Chuối tiêu Viba")).to_be_visible()
    expect(page.locator("h1 + [data-state]")).to_have_attribute("data-state", "certified")
    dossier_url = page.url

    forged = page.request.post(f"{base_url}/language", form={"locale": "en", "next": "/"}, max_redirects=0)
    assert forged.status == 400  # CSRF protection is on: a post without the form's token is refused
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "vi")

    open_phone_menu(page)  # a phone shows the menu collapsed
    page.get_by_role("button", name="EN English").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url == dossier_url  # the switch stays on the page it was made from

    open_phone_menu(page, "Open menu")
    expect(page.get_by_role("link", name="My dossiers")).to_be_visible()
    page.get_by_role("button", name="VI Tiếng Việt").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "vi")

    open_phone_menu(page)
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Đăng nhập")).to_be_visible()
    page.goto(dossier_url)
    expect(page).to_have_url(re.compile(r"/login\?next="))  # signed out: the dossier is closed again
