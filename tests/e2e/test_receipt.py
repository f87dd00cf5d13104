"""On a phone: a producer files with the declaration and keeps the receipt — the confirmation page and its PDF."""
from __future__ import annotations

import io
import re

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from .live import PHONE, sign_in
from .test_journey import REQUIRED, TEA_SET, expect_state, upload

PRODUCT = "Trà hoa vàng Lâm Tín E2E"
DECLARATION = re.compile(r"^Tôi cam kết các thông tin và tài liệu trong hồ sơ là trung thực")
DUE = re.compile(r"^\s*(\d{2}/\d{2}/\d{4}|chưa có lịch làm việc năm \d{4})\s*$")


def producer_prepares_a_dossier(page: Page, base_url: str, tmp_path) -> int:
    sign_in(page, base_url, "coop.lamtin")
    page.goto(f"{base_url}/dossiers/open")
    page.get_by_label("Tên sản phẩm").fill(PRODUCT)
    page.get_by_label("Bộ sản phẩm").select_option(label=TEA_SET)
    page.get_by_label("Mô tả sản phẩm").fill("Trà hoa vàng sấy lạnh, đóng hộp giấy.")
    page.get_by_role("button", name="Tạo hồ sơ").click()
    page.wait_for_load_state()
    dossier_id = int(re.search(r"/dossiers/(\d+)$", page.url).group(1))
    page.get_by_role("link", name="Tài liệu bắt buộc (0/6)").click()
    for kind in REQUIRED:
        upload(page, tmp_path, kind)
    page.get_by_role("link", name=PRODUCT).click()
    return dossier_id


def test_producer_declares_submits_and_keeps_the_receipt_on_a_phone(new_page, base_url, tmp_path):
    page = new_page("coop.lamtin", PHONE)
    dossier_id = producer_prepares_a_dossier(page, base_url, tmp_path)
    page.get_by_role("link", name="Kiểm tra lại và nộp hồ sơ").click()
    submit = page.locator('form[data-event="submit"]')

    submit.get_by_role("button", name="Nộp hồ sơ").click()  # not ticked: refused, said by the box
    page.wait_for_load_state()
    expect(page.locator("#declared-error")).to_have_text("Hãy đánh dấu vào ô cam kết trước khi nộp hồ sơ.")
    expect(page.get_by_role("alert")).to_contain_text("lời cam kết")
    expect(page.get_by_role("heading", name="Kiểm tra lại trước khi nộp")).to_be_visible()

    page.get_by_role("checkbox", name=DECLARATION).check()
    submit.get_by_role("button", name="Nộp hồ sơ").click()
    page.wait_for_load_state()
    expect(page).to_have_url(f"{base_url}/dossiers/{dossier_id}/receipt")
    panel = page.locator("#receipt-panel")
    expect(panel).to_be_visible()
    expect(panel.get_by_role("heading", name="Đã nộp hồ sơ")).to_be_visible()
    expect(page.locator("#receipt-code")).to_have_text(f"HS-{dossier_id}")
    expect(page.locator("#receipt-unit")).to_have_text("UBND xã Lạc Sơn")
    expect(page.locator("#receipt-due")).to_have_text(DUE)
    due = page.locator("#receipt-due").inner_text().strip()
    expect(page.get_by_role("heading", name="Những việc tiếp theo")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # nothing runs off a phone

    pdf = page.request.get(base_url + page.locator("#receipt-pdf").get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    text = " ".join(PdfReader(io.BytesIO(pdf.body())).pages[0].extract_text().split())
    assert f"Mã hồ sơ HS-{dossier_id}" in text and PRODUCT in text and due in text

    page.get_by_role("link", name="Xem hồ sơ", exact=True).click()
    expect_state(page, "district_review")
    expect(page.locator('[data-deadline-kind="first_level_check"]')).to_contain_text(due)  # the same due date
    expect(page.locator('#activity [data-action="dossier.declare"]')).to_be_visible()
