"""The whole journey in the browser, under today's procedure: a new product's dossier from the producer's phone
through the commune's check, the provincial office's admission, the provincial council and the chairman's
decision to its printable certificate.

Each person uses their own browser context (own cookies) and only what the pages show them.
"""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect

from ocop_tracker.documents.samples import minimal_pdf
from ocop_tracker.rules.sheets import load_sheets

from ..reviews.sheet_pages import three_stars
from .live import DESKTOP, PHONE, sign_in

PRODUCT = "Chè shan tuyết Mỹ Tân E2E"
TEA_SET = "11. Chè tươi, chế biến"  # food group, no VietGAP stage: six required documents
REQUIRED = ["registration_form", "self_assessment", "business_licence",
            "food_safety_certificate", "quality_announcement", "test_report"]
TEST_REPORT_NOTE = "Phiếu kiểm nghiệm đã hết hạn (E2E)."
RETURN_REASON = "Đề nghị bổ sung phiếu kết quả kiểm nghiệm còn hiệu lực (E2E)."
# The tea sheet of QĐ 26 (Phụ lục II, set 11): every member ticks the middle options raised to the 3★ minimums.
SHEET = load_sheets("qd26-2026-commune").by_app_code("set-11")
TICKS = three_stars(SHEET)
TOTAL = sum(option.points for option in TICKS.values())  # 50–70: three stars
COUNCIL = ("council.phutho1", "council.phutho2", "council.phutho3")
DECISION = "9001/QĐ-UBND"
PDF = minimal_pdf("e2e")


def expect_state(page: Page, state: str) -> None:
    """The dossier's own badge, beside the page title, shows the state."""
    expect(page.locator("h1 ~ [data-state]").first).to_have_attribute("data-state", state)


def fire(page: Page, event: str, comment: str | None = None) -> None:
    """Press a workflow button; its form carries the CSRF token and the version the page showed."""
    form = page.locator(f'form[data-event="{event}"]')
    if comment is not None:
        form.locator("textarea").fill(comment)
    form.get_by_role("button").click()
    page.wait_for_load_state()


def open_dossier(page: Page, base_url: str, dossier_id: int) -> None:
    """From the list or work queue, the way a person finds it."""
    page.goto(f"{base_url}/")
    page.locator(f'[data-dossier="{dossier_id}"]').click()
    expect(page.get_by_role("heading", name=PRODUCT, exact=True)).to_be_visible()


def tick(page: Page, ticks: dict) -> None:
    """Tick one option per criterion on the sheet, as a finger would."""
    for option in ticks.values():
        page.locator(f'input[type="radio"][value="{option.id}"]').check()


def producer_creates_dossier(page: Page, base_url: str) -> int:
    sign_in(page, base_url, "coop.mytan")
    expect(page.get_by_role("heading", name="Hồ sơ của tôi")).to_be_visible()
    page.get_by_role("main").get_by_role("link", name="Đăng ký sản phẩm mới").click()
    expect(page).to_have_url(f"{base_url}/dossiers/open")
    page.get_by_label("Tên sản phẩm").fill(PRODUCT)
    page.get_by_label("Bộ sản phẩm").select_option(label=TEA_SET)
    page.get_by_label("Mô tả sản phẩm").fill("Chè búp shan tuyết hái tay, sao thủ công tại Cao Dương.")
    page.get_by_role("button", name="Tạo hồ sơ").click()
    page.wait_for_load_state()
    expect(page.get_by_role("alert")).to_contain_text(PRODUCT)
    expect_state(page, "draft")
    # Submitting is the task list's last step, which cannot start before the documents are in.
    expect(page.locator("#tasks [data-status]").last).to_have_attribute("data-status", "cannot_start")
    return int(re.search(r"/dossiers/(\d+)$", page.url).group(1))


def producer_prepares(page: Page, tmp_path) -> None:
    """Self-assessment, then every required document from files on the phone."""
    page.get_by_role("link", name=re.compile("Tự đánh giá theo phiếu chấm điểm")).click()
    tick(page, TICKS)
    expect(page.locator("[data-sheet-total]")).to_have_text(str(TOTAL))
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_load_state()
    expect(page.locator("#tasks [data-status]").nth(2)).to_have_attribute("data-status", "completed")
    page.get_by_role("link", name="Tài liệu bắt buộc (0/6)").click()
    for kind in REQUIRED:
        upload(page, tmp_path, kind)
    page.get_by_role("link", name=PRODUCT).click()
    expect(page.get_by_role("link", name="Tài liệu bắt buộc (6/6)")).to_be_visible()


def upload(page: Page, tmp_path, kind: str) -> None:
    """Upload one file as a new version of `kind` through the documents page's upload form."""
    path = tmp_path / f"{kind}.pdf"
    path.write_bytes(PDF)
    page.get_by_label("Loại tài liệu").select_option(kind)
    page.get_by_label("Tệp", exact=True).set_input_files(str(path))
    page.get_by_role("button", name="Tải lên", exact=True).click()
    page.wait_for_load_state()
    expect(page.get_by_role("alert")).to_contain_text("Đã tải lên")
    item = page.locator(f'section[data-kind="{kind}"]')
    expect(item.locator("[data-status]")).to_have_attribute("data-status", "completed")
    expect(item).to_contain_text(f"{kind}.pdf")


def producer_submits(page: Page) -> None:
    page.get_by_role("link", name="Kiểm tra lại và nộp hồ sơ").click()
    expect(page.get_by_role("heading", name="Kiểm tra lại trước khi nộp")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(PRODUCT)
    expect(page.locator("main [data-status]")).to_have_count(6)
    page.get_by_role("checkbox", name=re.compile(r"^Tôi cam kết các thông tin và tài liệu")).check()
    fire(page, "submit")
    expect(page.locator("#receipt-panel")).to_contain_text("Đã nộp hồ sơ")  # the confirmation page
    expect(page.locator("#receipt-code")).to_have_text(re.compile(r"^HS-\d+$"))
    page.get_by_role("link", name="Xem hồ sơ", exact=True).click()
    expect_state(page, "district_review")  # set 11 has no VietGAP stage


def officer_returns(page: Page, base_url: str, dossier_id: int) -> None:
    """The officer flags the test report on the documents page, then returns the dossier with a reason."""
    sign_in(page, base_url, "officer.caoduong")
    expect(page.get_by_role("heading", name="Hàng đợi công việc")).to_be_visible()
    open_dossier(page, base_url, dossier_id)
    expect_state(page, "district_review")
    page.get_by_role("link", name="Xem và tải tài liệu").click()
    report = page.locator('section[data-kind="test_report"]')
    report.get_by_role("radio", name="Cần bổ sung").check()
    report.get_by_label("Ghi chú (bắt buộc khi cần bổ sung)").fill(TEST_REPORT_NOTE)
    report.get_by_role("button", name="Ghi kết quả kiểm tra").click()
    page.wait_for_load_state()
    expect(page.locator('section[data-kind="test_report"] [data-check]')).to_have_attribute(
        "data-check", "needs_supplement")
    page.get_by_role("link", name=PRODUCT).click()
    fire(page, "return", RETURN_REASON)
    expect_state(page, "returned")


def producer_resubmits(page: Page, base_url: str, dossier_id: int, tmp_path) -> None:
    """The producer reads the reasons by the items concerned, sends a new test report, resubmits."""
    open_dossier(page, base_url, dossier_id)
    expect_state(page, "returned")
    reasons = page.locator("#return-reasons")
    expect(reasons).to_contain_text(RETURN_REASON)
    expect(reasons).to_contain_text(TEST_REPORT_NOTE)
    page.get_by_role("link", name="Tài liệu bắt buộc").click()
    upload(page, tmp_path, "test_report")
    expect(page.locator('section[data-kind="test_report"] [data-version="1"]')).to_be_attached()  # old one kept
    page.get_by_role("link", name=PRODUCT).click()
    page.get_by_role("link", name="Kiểm tra lại và nộp hồ sơ").click()
    page.get_by_role("checkbox", name=re.compile(r"^Tôi cam kết các thông tin và tài liệu")).check()
    fire(page, "resubmit")
    expect(page.locator("#receipt-panel")).to_contain_text("Đã nộp lại hồ sơ")
    expect(page.locator("#receipt-code")).to_have_text(f"HS-{dossier_id}")
    page.get_by_role("link", name="Xem hồ sơ", exact=True).click()
    expect_state(page, "district_review")


def officer_forwards(page: Page, base_url: str, dossier_id: int) -> None:
    """The commune has checked the file: up to the provincial OCOP office."""
    open_dossier(page, base_url, dossier_id)
    expect(page.locator("#history")).to_contain_text(RETURN_REASON)
    fire(page, "forward")
    expect_state(page, "provincial_review")


def province_admits(page: Page, base_url: str, dossier_id: int) -> None:
    """The provincial office admits the file to the open evaluation batch (the form's first choice)."""
    sign_in(page, base_url, "officer.phutho")
    open_dossier(page, base_url, dossier_id)
    expect_state(page, "provincial_review")
    expect(page.locator('form[data-event="admit"] select')).to_contain_text("Đợt")
    fire(page, "admit")
    expect_state(page, "star_rating")
    expect(page.locator("#batch")).to_contain_text("Đợt")


def member_scores(page: Page, base_url: str, dossier_id: int, username: str, seat: int) -> None:
    """Each member sees the others' marks only after sending their own."""
    sign_in(page, base_url, username)
    open_dossier(page, base_url, dossier_id)
    page.locator("#council-scores").get_by_role("link", name="Chấm điểm").click()
    expect(page.get_by_role("heading", name="Phiếu chấm điểm của Hội đồng")).to_be_visible()
    expect(page.locator("#member-scores")).to_have_count(0)
    tick(page, TICKS)
    page.get_by_role("button", name="Gửi phiếu chấm").click()
    page.wait_for_load_state()
    expect(page.get_by_role("alert")).to_contain_text("Đã lưu phiếu chấm của bạn.")
    expect(page.locator("#member-scores tbody tr")).to_have_count(seat)


def chair_closes_rating(page: Page) -> None:
    """The chair, back on the scores page, sees the mean and its star, then closes the rating."""
    page.reload()
    expect(page.locator("[data-mean]")).to_have_text(f"{TOTAL},00")
    expect(page.locator("[data-star]")).to_have_text("3")
    expect(page.locator("[data-proposed-star]")).to_have_attribute("data-proposed-star", "3")
    fire(page, "close_rating")
    expect(page.get_by_role("alert")).to_contain_text("Kết thúc chấm điểm")
    expect_state(page, "awaiting_decision")


def province_records_the_decision(page: Page, base_url: str, dossier_id: int) -> None:
    """From the dossier, the office records the chairman's decision; the dossier is already marked on it."""
    open_dossier(page, base_url, dossier_id)
    expect_state(page, "awaiting_decision")
    page.locator("#awaiting-decision").get_by_role("link", name="Ghi quyết định công nhận").click()
    expect(page.get_by_role("heading", name="Ghi quyết định công nhận")).to_be_visible()
    expect(page.locator(f"#outcome-{dossier_id}")).to_have_value("recognise")
    page.get_by_label("Số quyết định").fill(DECISION)
    signed_on = (datetime.now(UTC) - timedelta(days=1)).date()  # never after today in Vietnam
    page.get_by_label("Ngày ký").fill(signed_on.isoformat())
    page.get_by_label("Người ký", exact=True).fill("Nguyễn Văn A")
    page.get_by_role("button", name="Ghi quyết định").click()
    page.wait_for_load_state()
    expect(page.get_by_role("alert")).to_contain_text(DECISION)
    expect(page.locator("#decision-items")).to_contain_text(PRODUCT)
    expect(page.locator("#listing-pdf")).to_be_visible()


def producer_sees_certificate(page: Page, base_url: str, dossier_id: int) -> None:
    open_dossier(page, base_url, dossier_id)
    expect_state(page, "certified")
    certificate = page.locator("#certificate + dl")
    expect(certificate.locator("code")).to_have_text(re.compile(r"^25-\d{5}-\d+-\d{4}$"))  # QĐ 26 Phụ lục II
    expect(certificate).to_contain_text("★★★")
    expect(certificate).to_contain_text("3 sao")
    expect(page.locator("#certificate-decision")).to_contain_text(DECISION)
    pdf = page.request.get(base_url + page.locator("#certificate-pdf").get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")


def test_dossier_journey_from_new_product_to_certificate(new_page, base_url, tmp_path):
    producer = new_page("coop.mytan", PHONE)
    dossier_id = producer_creates_dossier(producer, base_url)
    producer_prepares(producer, tmp_path)
    producer_submits(producer)

    officer = new_page("officer.caoduong", DESKTOP)
    officer_returns(officer, base_url, dossier_id)
    producer_resubmits(producer, base_url, dossier_id, tmp_path)
    officer_forwards(officer, base_url, dossier_id)
    province = new_page("officer.phutho", DESKTOP)
    province_admits(province, base_url, dossier_id)

    members = {username: new_page(username, DESKTOP if username == COUNCIL[0] else PHONE) for username in COUNCIL}
    for seat, (username, page) in enumerate(members.items(), start=1):
        member_scores(page, base_url, dossier_id, username, seat)
    chair_closes_rating(members["council.phutho1"])
    province_records_the_decision(province, base_url, dossier_id)
    producer_sees_certificate(producer, base_url, dossier_id)
