"""The filing receipt (Giấy tiếp nhận hồ sơ và hẹn trả kết quả), read back with pypdf."""
from __future__ import annotations

import io
import unicodedata
from dataclasses import replace
from datetime import date

from pypdf import PdfReader

from ocop_tracker.printouts.pdf import ReceiptSheet, receipt_pdf

SHEET = ReceiptSheet(
    code="HS-12",
    product_name="Bưởi Đoan Hùng đặc sản vùng đất Tổ",
    organisation_name="Hợp tác xã Nông nghiệp Liên Sơn",
    place="xã Liên Sơn, tỉnh Phú Thọ",
    unit_name="UBND xã Liên Sơn",
    resubmission=False,
    received_on=date(2026, 3, 2),
    due_on=date(2026, 3, 23),
    missing_year=None,
    working_days=15,
    rule_set_name="QĐ 1489/QĐ-TTg — xã kiểm tra, tỉnh công nhận",
    dossier_url="https://ocop.example.vn/dossiers/12",
)


def _text(data: bytes) -> tuple[PdfReader, str]:
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    return reader, " ".join(reader.pages[0].extract_text().split())


def test_receipt_carries_the_code_the_parties_and_the_dates():
    reader, text = _text(receipt_pdf(SHEET))
    for expected in (
        "UBND XÃ LIÊN SƠN", "Số: HS-12", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Ngày 02/03/2026",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "Mã hồ sơ HS-12", "Sản phẩm Bưởi Đoan Hùng đặc sản vùng đất Tổ",
        "Chủ thể Hợp tác xã Nông nghiệp Liên Sơn", "Địa chỉ xã Liên Sơn, tỉnh Phú Thọ",
        "Nộp hồ sơ đánh giá, phân hạng sản phẩm OCOP", "UBND xã Liên Sơn", "Ngày tiếp nhận 02/03/2026",
        "Hẹn trả kết quả kiểm tra 23/03/2026 (15 ngày làm việc)", "Căn cứ QĐ 1489/QĐ-TTg",
        "Xem hồ sơ: https://ocop.example.vn/dossiers/12",
    ):
        assert expected in text, expected
    box = reader.pages[0].mediabox
    assert "HS-12" in reader.metadata.title and float(box.width) < float(box.height)  # A4 portrait


def test_a_resubmission_says_so():
    _, text = _text(receipt_pdf(replace(SHEET, resubmission=True)))
    assert "Nộp lại hồ sơ sau khi bổ sung" in text and "Nộp hồ sơ đánh giá" not in text


def test_a_missing_calendar_year_is_named_instead_of_a_due_date():
    _, text = _text(receipt_pdf(replace(SHEET, due_on=None, missing_year=2027)))
    assert "Hẹn trả kết quả kiểm tra chưa có lịch làm việc năm 2027" in text
    assert "ngày làm việc)" not in text


def test_same_sheet_same_bytes_and_decomposed_names_print_composed():
    assert receipt_pdf(SHEET) == receipt_pdf(SHEET)  # a receipt printed twice is the same document
    nfd = replace(SHEET, product_name=unicodedata.normalize("NFD", SHEET.product_name))
    assert SHEET.product_name in _text(receipt_pdf(nfd))[1]
