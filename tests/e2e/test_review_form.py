"""On a phone: the commune officer reviews a whole checklist in one form and returns the dossier with the flagged
notes already in the reason; a producer picking a file over the size limit is told so before anything is sent.

Uses the demo's "Bưởi Mỹ Tân" (VietGAP step, commune Cao Dương) and "Cao xạ đen Cao Dương" (returned).
"""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from ocop_tracker.documents.samples import minimal_pdf

from .live import PHONE, sign_in

REVIEWED = "Bưởi Mỹ Tân"
RETURNED = "Cao xạ đen Cao Dương"
FLAG_NOTE = "Bản sao chưa có dấu đỏ (E2E)."
PDF = minimal_pdf("e2e")


def open_from_queue(page: Page, base_url: str, product: str) -> None:
    page.goto(f"{base_url}/")
    page.locator("[data-dossier]").filter(has_text=product).first.click()
    expect(page.get_by_role("heading", name=product, exact=True)).to_be_visible()


def fits_the_phone(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_officer_reviews_the_checklist_in_one_form_and_returns(new_page, base_url):
    page = new_page("officer.caoduong", PHONE)
    sign_in(page, base_url, "officer.caoduong")
    open_from_queue(page, base_url, REVIEWED)
    page.locator("#review-documents").click()
    expect(page.get_by_role("heading", name="Kiểm tra tài liệu hồ sơ")).to_be_visible()
    assert fits_the_phone(page)

    documents = page.locator("#review-form section[data-kind]")
    total = documents.count()
    assert total >= 2
    flagged = documents.first
    flagged.get_by_role("radio", name="Cần bổ sung").check()
    flagged.get_by_label("Ghi chú (bắt buộc khi cần bổ sung)").fill(FLAG_NOTE)
    for index in range(1, total):
        expect(documents.nth(index).get_by_role("radio", name="Đạt")).to_be_checked()
    page.get_by_label("Nhận xét chung về hồ sơ (không bắt buộc)").fill("Các giấy tờ khác đầy đủ.")
    page.get_by_role("button", name="Lưu kết quả kiểm tra").click()
    page.wait_for_load_state()
    expect(page.get_by_role("alert")).to_contain_text(
        f"Đã ghi kết quả kiểm tra {total} tài liệu: chấp nhận {total - 1}, cần bổ sung 1.")
    expect(flagged.locator("[data-check]")).to_have_attribute("data-check", "needs_supplement")

    # The next step, on the same page: return first, its reason already written from the review.
    return_form = page.locator('#next-step form[data-event="return"]')
    expect(return_form.locator("textarea")).to_have_value(re.compile(re.escape(FLAG_NOTE)))
    assert fits_the_phone(page)
    return_form.get_by_role("button", name="Trả lại để bổ sung").click()
    page.wait_for_load_state()
    expect(page.locator("h1 ~ [data-state]").first).to_have_attribute("data-state", "returned")
    expect(page.locator("#return-reasons")).to_contain_text(FLAG_NOTE)
    expect(page.locator("#activity")).to_contain_text(f"Chấp nhận {total - 1}, cần bổ sung 1")


def test_too_large_file_refused_before_sending(new_page, base_url, tmp_path):
    page = new_page("coop.caoxaden", PHONE)
    sign_in(page, base_url, "coop.caoxaden")
    open_from_queue(page, base_url, RETURNED)
    page.get_by_role("link", name="Xem và tải tài liệu").click()
    upload = page.locator("form[data-upload]")
    expect(upload.locator("#file-help")).to_have_text("Mỗi tệp tối đa 20 MB.")
    assert fits_the_phone(page)

    big = tmp_path / "ảnh quá lớn.pdf"
    with big.open("wb") as file:  # sparse: 20 MB and one byte, written in no time
        file.truncate(20 * 1024 * 1024 + 1)
    upload.get_by_label("Loại tài liệu").select_option("photo")
    upload.get_by_label("Tệp", exact=True).set_input_files(str(big))
    message = upload.locator("[data-upload-message]")
    expect(message).to_have_text("Tệp quá lớn: mỗi tệp tối đa 20 MB.")
    address = page.url
    upload.get_by_role("button", name="Tải lên", exact=True).click()
    expect(message).to_be_visible()
    expect(upload.get_by_label("Tệp", exact=True)).to_have_class(re.compile("is-invalid"))
    assert page.url == address
    expect(page.get_by_text("ảnh quá lớn.pdf")).to_have_count(0)  # nothing was sent

    # A file within the limit goes up through the script (progress shown meanwhile) and lands as usual.
    small = tmp_path / "ảnh sản phẩm.pdf"
    small.write_bytes(PDF)
    upload.get_by_label("Tệp", exact=True).set_input_files(str(small))
    expect(message).to_be_hidden()
    with page.expect_response(lambda answer: answer.request.method == "POST") as sent:
        upload.get_by_role("button", name="Tải lên", exact=True).click()
    answer = sent.value  # the script's request, answered with where to go (its body is gone once the page moves on)
    assert answer.request.headers.get("x-requested-with") == "XMLHttpRequest"
    assert answer.status == 200 and answer.headers["content-type"] == "application/json"
    expect(page.get_by_role("alert")).to_contain_text("Đã tải lên")
    expect(page.locator('section[data-kind="photo"]')).to_contain_text("ảnh sản phẩm.pdf")
