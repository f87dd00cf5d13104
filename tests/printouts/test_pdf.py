"""The printouts are read back with pypdf: real Vietnamese text, real pages, a real QR image."""
from __future__ import annotations

import io
import unicodedata
from dataclasses import replace
from datetime import date

import pytest
from pypdf import PdfReader

from ocop_tracker.printouts.pdf import (
    CertificateSheet,
    DecisionLine,
    DecisionSheet,
    certificate_pdf,
    decision_pdf,
)

PRODUCT = "Bưởi Đoan Hùng đặc sản vùng đất Tổ"

SHEET = CertificateSheet(
    code="OCOP-PT-2026-00012-R1",
    product_name=PRODUCT,
    organisation_name="Hợp tác xã Nông nghiệp Liên Sơn",
    place="xã Liên Sơn, tỉnh Phú Thọ",
    product_set="1. Rau, củ, quả tươi",
    star=4,
    issuing_body="ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ",
    decision_number="1234/QĐ-UBND",
    decision_signed_on=date(2026, 12, 2),
    signer="Nguyễn Văn A",
    signer_title="KT. CHỦ TỊCH - PHÓ CHỦ TỊCH",
    issued_on=date(2026, 12, 2),
    valid_until=date(2029, 12, 1),
    registry_url="https://ocop.example.vn/tra-cuu/OCOP-PT-2026-00012-R1",
)


def _line(no: int, recognised: bool = True) -> DecisionLine:
    return DecisionLine(
        product_name=f"Chè xanh Thanh Sơn số {no:02d}",
        organisation_name=f"Hộ kinh doanh Đỗ Thị Hương {no:02d}",
        place="xã Thượng Cửu, tỉnh Phú Thọ",
        star=3 + no % 3 if recognised else None,
        recognised=recognised,
        certificate_code=f"OCOP-PT-2026-{no:05d}" if recognised else None,
    )


def _decision(lines: list[DecisionLine]) -> DecisionSheet:
    return DecisionSheet(
        number="1234/QĐ-UBND",
        signed_on=date(2026, 12, 2),
        issuing_body="ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ",
        signer="Nguyễn Văn A",
        signer_title="KT. CHỦ TỊCH - PHÓ CHỦ TỊCH",
        level_name="cấp tỉnh",
        lines=lines,
    )


def _read(data: bytes) -> tuple[PdfReader, list[str]]:
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    return reader, [page.extract_text() for page in reader.pages]


def _landscape(page) -> bool:
    return float(page.mediabox.width) > float(page.mediabox.height)


def _flat(text: str) -> str:
    """Text with every run of whitespace made one space, so a cell's wrapped lines read as one."""
    return " ".join(text.split())


def test_certificate_carries_the_real_vietnamese_text():
    reader, pages = _read(certificate_pdf(SHEET))
    assert len(pages) == 1
    text = _flat(pages[0])
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ",
        "GIẤY CHỨNG NHẬN SẢN PHẨM OCOP",
        f"Chứng nhận sản phẩm: {PRODUCT}",
        "Của chủ thể: Hợp tác xã Nông nghiệp Liên Sơn",
        "Địa chỉ: xã Liên Sơn, tỉnh Phú Thọ",
        "Bộ sản phẩm: 1. Rau, củ, quả tươi",
        "Đạt hạng: 4 sao",
        "★★★★",
        "Theo Quyết định số 1234/QĐ-UBND ngày 02/12/2026",
        "Mã chứng nhận: OCOP-PT-2026-00012-R1",
        "Có hiệu lực đến hết ngày 01/12/2029",
        "KT. CHỦ TỊCH - PHÓ CHỦ TỊCH",
        "Nguyễn Văn A",
        "Tra cứu: https://ocop.example.vn/tra-cuu/OCOP-PT-2026-00012-R1",
    ):
        assert expected in text, expected
    assert "★★★★★" not in text
    assert "GIẤY CHỨNG NHẬN SẢN PHẨM OCOP" in reader.metadata.title
    assert _landscape(reader.pages[0])


def test_certificate_has_the_qr_code_as_an_image_and_embeds_dejavu():
    reader, _ = _read(certificate_pdf(SHEET))
    resources = reader.pages[0]["/Resources"]
    images = [x.get_object() for x in resources["/XObject"].values()]
    assert any(x["/Subtype"] == "/Image" for x in images)
    fonts = [f.get_object() for f in resources["/Font"].values()]
    descendants = [d.get_object() for f in fonts for d in f.get("/DescendantFonts", [])]
    assert descendants and all("DejaVu" in d["/BaseFont"] for d in descendants)
    assert all("/FontFile2" in d["/FontDescriptor"] for d in descendants)  # embedded, not referenced


def test_old_certificate_without_a_decision_says_so():
    old = replace(SHEET, decision_number=None, decision_signed_on=None, star=3)
    _, pages = _read(certificate_pdf(old))
    text = _flat(pages[0])
    assert "Công nhận trước khi hệ thống ghi nhận quyết định" in text
    assert "Theo Quyết định số" not in text
    assert "Đạt hạng: 3 sao" in text


def test_decomposed_input_prints_as_composed_vietnamese():
    nfd = replace(SHEET, product_name=unicodedata.normalize("NFD", PRODUCT))
    _, pages = _read(certificate_pdf(nfd))
    assert PRODUCT in _flat(pages[0])


@pytest.mark.parametrize("star", [2, 6])
def test_certificate_refuses_a_star_outside_three_to_five(star):
    with pytest.raises(ValueError):
        replace(SHEET, star=star)


def test_long_decision_flows_over_pages_with_the_header_repeated():
    lines = [_line(no) for no in range(1, 61)]
    reader, pages = _read(decision_pdf(_decision(lines)))
    assert len(pages) >= 3
    assert not _landscape(reader.pages[0])
    everything = _flat("\n".join(pages))
    first = _flat(pages[0])
    for expected in (
        "ỦY BAN NHÂN DÂN TỈNH PHÚ THỌ",
        "Số: 1234/QĐ-UBND",
        "DANH SÁCH SẢN PHẨM ĐƯỢC CÔNG NHẬN ĐẠT CHUẨN OCOP",
        "CẤP TỈNH",
        "(Kèm theo Quyết định số 1234/QĐ-UBND ngày 02/12/2026)",
    ):
        assert expected in first, expected
    for line in lines:
        assert line.product_name in everything
        assert line.certificate_code in everything
    for no, text in enumerate(pages, start=1):
        assert f"Trang {no}/{len(pages)}" in text
        if "Chè xanh Thanh Sơn" in text:
            assert "Tên sản phẩm" in text and "Mã chứng nhận" in text  # heading row on every page
    assert "Sản phẩm không được công nhận" not in everything
    assert "Danh sách kèm theo Quyết định số 1234/QĐ-UBND" == reader.metadata.title


def test_not_recognised_lines_are_listed_in_a_second_table():
    lines = [_line(1), _line(2, recognised=False), _line(3)]
    _, pages = _read(decision_pdf(_decision(lines)))
    text = _flat("\n".join(pages))
    head, _, tail = text.partition("Sản phẩm không được công nhận")
    assert tail, "second table title missing"
    assert "Chè xanh Thanh Sơn số 01" in head and "Chè xanh Thanh Sơn số 03" in head
    assert "Chè xanh Thanh Sơn số 02" not in head
    assert "Chè xanh Thanh Sơn số 02" in tail and "Tên sản phẩm" in tail


def test_long_names_wrap_inside_their_cell():
    name = "Mật ong hoa nhãn rừng tự nhiên Tân Sơn đóng chai thủy tinh cao cấp loại đặc biệt 500ml"
    lines = [replace(_line(1), product_name=name)]
    _, pages = _read(decision_pdf(_decision(lines)))
    assert name in _flat(pages[0])
    assert not any(name in row for row in pages[0].splitlines())  # split over several lines


def test_a_decision_recognising_nothing_still_renders():
    _, pages = _read(decision_pdf(_decision([_line(1, recognised=False)])))
    text = _flat("\n".join(pages))
    assert "Không có sản phẩm nào được công nhận" in text
    assert "Chè xanh Thanh Sơn số 01" in text.partition("Sản phẩm không được công nhận")[2]
