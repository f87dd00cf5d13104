"""The official scoring sheet on a phone (390×844): the producer fills part of the self-assessment, saves, comes
back later and finishes it; a council member's incomplete sheet is refused with every tick kept, then sent whole.

Uses the demo's "Bưởi đỏ Mỹ Tân" (coop.mytan's draft, set 1) and "Tinh bột nghệ đen Nhưng Vần" (set 7, with the
provincial council: the third member has not scored yet).
"""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from ocop_tracker.rules.sheets import load_sheets

from ..reviews.sheet_pages import three_stars
from .live import PHONE, sign_in
from .test_review_form import fits_the_phone, open_from_queue

SHEETS = load_sheets("qd26-2026-commune")
DRAFT, DRAFT_SHEET = "Bưởi đỏ Mỹ Tân", SHEETS.by_app_code("set-01")
RATED, RATED_SHEET = "Tinh bột nghệ đen Nhưng Vần", SHEETS.by_app_code("set-07")
NOTE = "Hợp đồng bao tiêu với 12 hộ (E2E)."


def tick(page: Page, options) -> None:
    for option in options:
        page.locator(f'input[type="radio"][value="{option.id}"]').check()


def left(page: Page, count: int) -> None:
    expect(page.locator("[data-sheet-left] [data-count]")).to_have_text(str(count))


def test_producer_saves_part_of_the_self_assessment_and_finishes_it_later(new_page, base_url):
    page = new_page("coop.mytan", PHONE)
    sign_in(page, base_url, "coop.mytan")
    open_from_queue(page, base_url, DRAFT)
    page.get_by_role("link", name=re.compile("Tự đánh giá theo phiếu chấm điểm")).click()
    expect(page.get_by_role("heading", name="Tự đánh giá theo phiếu chấm điểm")).to_be_visible()
    assert fits_the_phone(page)
    ticks = three_stars(DRAFT_SHEET)
    criteria = DRAFT_SHEET.criteria
    first = [ticks[c] for c in criteria[:6]]
    total = len(criteria)
    left(page, total)
    tick(page, first)
    left(page, total - 6)  # the running count, before anything is sent
    expect(page.locator("[data-sheet-total]")).to_have_text(str(sum(o.points for o in first)))
    page.locator(f'[data-criterion="{criteria[0].id}"] input[type=text]').fill(NOTE)
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_load_state()
    expect(page.get_by_role("alert")).to_contain_text(f"Còn {total - 6} tiêu chí chưa chọn")
    assert fits_the_phone(page)

    # Later: back from the dossier page, the draft is as it was left.
    page.get_by_role("link", name=f"← {DRAFT}").click()
    task = page.get_by_role("link", name=f"Tự đánh giá theo phiếu chấm điểm: 6/{total} tiêu chí (không bắt buộc)")
    task.click()
    for option in first:
        expect(page.locator(f'input[value="{option.id}"]')).to_be_checked()
    expect(page.get_by_placeholder("Ghi chú, minh chứng (không bắt buộc)").first).to_have_value(NOTE)
    left(page, total - 6)
    tick(page, [ticks[c] for c in criteria[6:]])
    left(page, 0)
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_load_state()
    expect(page.get_by_role("alert")).to_contain_text("đã chọn đủ các tiêu chí")
    expect(page.get_by_role("link", name=f"Tự đánh giá theo phiếu chấm điểm: {total}/{total} tiêu chí (không bắt buộc)"))\
        .to_be_visible()


def test_council_member_scores_a_sheet_round_on_a_phone(new_page, base_url):
    page = new_page("council.phutho3", PHONE)
    sign_in(page, base_url, "council.phutho3")
    open_from_queue(page, base_url, RATED)
    page.locator("#council-scores").get_by_role("link", name="Chấm điểm").click()
    expect(page.get_by_role("heading", name="Phiếu chấm điểm của Hội đồng")).to_be_visible()
    assert fits_the_phone(page)
    ticks = three_stars(RATED_SHEET)
    criteria = RATED_SHEET.criteria
    tick(page, [ticks[c] for c in criteria[:-3]])
    page.get_by_role("button", name="Gửi phiếu chấm").click()
    page.wait_for_load_state()
    expect(page.get_by_role("alert").first).to_contain_text("còn 3 tiêu chí chưa chọn mức")
    for criterion in criteria[:-3]:
        expect(page.locator(f'input[value="{ticks[criterion].id}"]')).to_be_checked()
    expect(page.locator(".sheet-criterion.border-danger")).to_have_count(3)
    tick(page, [ticks[c] for c in criteria[-3:]])
    page.get_by_role("button", name="Gửi phiếu chấm").click()
    page.wait_for_load_state()
    expect(page.get_by_role("alert").first).to_contain_text("Đã lưu phiếu chấm của bạn.")
    total = sum(option.points for option in ticks.values())
    expect(page.locator("#own-score")).to_contain_text(f"tổng {total},00 điểm")
    expect(page.locator("#council-sheet")).to_be_visible()  # the others' options, now that theirs are in
    assert fits_the_phone(page)
