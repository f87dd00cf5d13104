"""Certificate, decision listing and filing receipt as PDF bytes: plain data in, no Flask or database."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path

import segno
from fpdf import FPDF
from fpdf.fonts import FontFace

FONT_DIR = Path(__file__).parent / "fonts"
FAMILY = "DejaVu"
STAR = "\u2605"
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
CERT_TITLE = "GIẤY CHỨNG NHẬN SẢN PHẨM OCOP"
LIST_TITLE = "DANH SÁCH SẢN PHẨM ĐƯỢC CÔNG NHẬN ĐẠT CHUẨN OCOP"
RECEIPT_TITLE = "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ"
RECEIPT_WIDTHS = (70, 110)  # mm: label and value, the 180 mm text width
COLUMNS = ("TT", "Tên sản phẩm", "Chủ thể", "Địa chỉ", "Hạng sao", "Mã chứng nhận")
COL_WIDTHS = (9, 43, 35, 37, 14, 42)  # mm, sums to the 180 mm text width; code column fits a whole code
GOLD = (191, 144, 0)


@dataclass(frozen=True)
class CertificateSheet:
    code: str
    product_name: str
    organisation_name: str
    place: str
    product_set: str
    star: int
    issuing_body: str
    decision_number: str | None  # None for old certificates recorded without a decision
    decision_signed_on: date | None
    signer: str
    signer_title: str
    issued_on: date
    valid_until: date  # last valid day, inclusive
    registry_url: str

    def __post_init__(self) -> None:
        if not 3 <= self.star <= 5:
            raise ValueError(f"OCOP certificates are 3 to 5 stars, got {self.star}")


@dataclass(frozen=True)
class DecisionLine:
    product_name: str
    organisation_name: str
    place: str
    star: int | None  # None when the line does not recognise the product
    recognised: bool
    certificate_code: str | None


@dataclass(frozen=True)
class DecisionSheet:
    number: str
    signed_on: date
    issuing_body: str
    signer: str
    signer_title: str
    level_name: str
    lines: list[DecisionLine]


@dataclass(frozen=True)
class ReceiptSheet:
    """The one-stop receipt of a filing: what was received, by whom, when, and when the check is due."""

    code: str
    product_name: str
    organisation_name: str
    place: str
    unit_name: str  # the unit that receives and checks, e.g. "UBND xã Liên Sơn"
    resubmission: bool
    received_on: date
    due_on: date | None  # None while the working calendar lacks the year
    missing_year: int | None
    working_days: int
    rule_set_name: str
    dossier_url: str


def _t(text: str) -> str:
    # Decomposed (NFD) Vietnamese would print loose combining marks: fpdf2 does no shaping here.
    return unicodedata.normalize("NFC", text)


def _d(day: date) -> str:
    return day.strftime("%d/%m/%Y")


class _Doc(FPDF):
    numbered = False  # a multi-page listing needs page numbers; a certificate does not

    def __init__(self, orientation: str, title: str, subject: str, author: str, on: date) -> None:
        super().__init__(orientation=orientation, unit="mm", format="A4")
        for style, file in (("", "DejaVuSans.ttf"), ("B", "DejaVuSans-Bold.ttf")):
            self.add_font(FAMILY, style, str(FONT_DIR / file))
        for setter, value in ((self.set_title, title), (self.set_subject, subject), (self.set_author, author)):
            setter(_t(value))
        self.set_creator("ocop_tracker")
        self.set_lang("vi")
        # A fixed creation date keeps repeated renders of one sheet the same.
        self.set_creation_date(datetime.combine(on, time(), UTC))
        self.set_margins(15, 15, 15)

    def footer(self) -> None:
        if self.numbered:
            self.set_y(-10)
            self.font(8)
            self.cell(0, 5, f"Trang {self.page_no()}/{{nb}}", align="C")

    def font(self, size: float, bold: bool = False) -> None:
        self.set_font(FAMILY, "B" if bold else "", size)

    def centred(self, text: str, size: float, bold: bool = False, h: float | None = None) -> None:
        self.font(size, bold)
        self.multi_cell(0, h or size * 0.5, _t(text), align="C", new_x="LMARGIN", new_y="NEXT")

    def header_pair(self, left: list[tuple[str, bool]], right: list[tuple[str, bool]], size: float) -> None:
        # Official layout: issuing body on the left, national motto on the right.
        top, half = self.get_y(), self.epw / 2
        bottom = top
        for x, rows in ((self.l_margin, left), (self.l_margin + half, right)):
            self.set_xy(x, top)
            for text, bold in rows:
                self.font(size, bold)
                self.multi_cell(half, size * 0.5, _t(text), align="C", new_x="LEFT", new_y="NEXT")
            bottom = max(bottom, self.get_y())
        self.set_xy(self.l_margin, bottom)

    def signer_block(self, x: float, w: float, title: str, name: str) -> None:
        self.set_x(x)
        self.font(11, bold=True)
        self.multi_cell(w, 6, _t(title), align="C", new_x="LEFT", new_y="NEXT")
        self.set_y(self.get_y() + 20)  # room for the signature and the seal
        self.set_x(x)
        self.multi_cell(w, 6, _t(name), align="C")


def certificate_pdf(sheet: CertificateSheet) -> bytes:
    pdf = _Doc("L", f"{CERT_TITLE} {sheet.code}", sheet.product_name, sheet.issuing_body, sheet.issued_on)
    pdf.set_auto_page_break(False)  # a certificate is one page by definition
    pdf.set_margins(22, 18, 22)
    pdf.add_page()
    pdf.set_draw_color(*GOLD)
    pdf.set_line_width(1.2)
    pdf.rect(8, 8, pdf.w - 16, pdf.h - 16)
    pdf.set_line_width(0.4)
    pdf.rect(11, 11, pdf.w - 22, pdf.h - 22)
    pdf.set_y(18)
    pdf.header_pair([(sheet.issuing_body, True)], [(NATION, True), (MOTTO, True)], 11)
    pdf.ln(8)
    pdf.set_text_color(170, 0, 0)
    pdf.centred(CERT_TITLE, 24, bold=True, h=12)
    pdf.set_text_color(0)
    pdf.ln(3)
    pdf.centred(f"Chứng nhận sản phẩm: {sheet.product_name}", 16, bold=True, h=8)
    pdf.centred(f"Của chủ thể: {sheet.organisation_name}", 13, h=7)
    pdf.centred(f"Địa chỉ: {sheet.place}", 13, h=7)
    pdf.centred(f"Bộ sản phẩm: {sheet.product_set}", 13, h=7)
    pdf.centred(f"Đạt hạng: {sheet.star} sao", 13, h=7)
    pdf.font(22, bold=True)
    if ord(STAR) in getattr(pdf.current_font, "cmap", {}):  # else the "N sao" line stands alone
        pdf.set_text_color(*GOLD)
        pdf.cell(0, 10, STAR * sheet.star, align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0)
    if sheet.decision_number:
        signed = f" ngày {_d(sheet.decision_signed_on)}" if sheet.decision_signed_on else ""
        pdf.centred(f"Theo Quyết định số {sheet.decision_number}{signed}", 12, h=6.5)
    else:
        pdf.centred("Công nhận trước khi hệ thống ghi nhận quyết định", 12, h=6.5)
    pdf.centred(f"Mã chứng nhận: {sheet.code}", 12, h=6.5)
    pdf.centred(f"Có hiệu lực đến hết ngày {_d(sheet.valid_until)}", 12, h=6.5)

    top, qr_size = max(pdf.h - 68, pdf.get_y() + 6), 36  # very long names push the foot down
    png = io.BytesIO()
    segno.make(sheet.registry_url, error="m").save(png, kind="png", scale=8, border=2)
    pdf.image(png, x=pdf.l_margin + 8, y=top, w=qr_size, h=qr_size)
    pdf.set_xy(pdf.l_margin, top + qr_size + 1)
    pdf.font(8)
    pdf.multi_cell(125, 4, _t(f"Tra cứu: {sheet.registry_url}"), align="L")

    x, w = pdf.w - pdf.r_margin - 110, 110
    pdf.set_xy(x, top - 4)
    pdf.font(11)
    pdf.cell(w, 6, f"Ngày cấp: {_d(sheet.issued_on)}", align="C", new_x="LEFT", new_y="NEXT")
    pdf.signer_block(x, w, sheet.signer_title, sheet.signer)
    return bytes(pdf.output())


def _table(pdf: _Doc, lines: list[DecisionLine]) -> None:
    pdf.font(8.5)
    heading = FontFace(emphasis="BOLD", fill_color=(230, 230, 230))
    with pdf.table(  # headings repeat on every page by default
        col_widths=COL_WIDTHS, text_align="LEFT", headings_style=heading, line_height=4, padding=(1, 1)
    ) as table:
        table.row(COLUMNS)
        for no, line in enumerate(lines, start=1):
            star = f"{line.star} sao" if line.star else "-"
            names = (_t(line.product_name), _t(line.organisation_name), _t(line.place))
            table.row((str(no), *names, star, line.certificate_code or "-"))


def decision_pdf(sheet: DecisionSheet) -> bytes:
    title = f"Danh sách kèm theo Quyết định số {sheet.number}"
    pdf = _Doc("P", title, LIST_TITLE, sheet.issuing_body, sheet.signed_on)
    pdf.set_auto_page_break(True, margin=15)
    pdf.numbered = True
    pdf.add_page()
    body, motto = [(sheet.issuing_body, True), (f"Số: {sheet.number}", False)], [(NATION, True), (MOTTO, True)]
    pdf.header_pair(body, [*motto, (f"Ngày {_d(sheet.signed_on)}", False)], 10)
    pdf.ln(8)
    pdf.centred(LIST_TITLE, 13, bold=True, h=6.5)
    pdf.centred(sheet.level_name.upper(), 13, bold=True, h=6.5)
    pdf.centred(f"(Kèm theo Quyết định số {sheet.number} ngày {_d(sheet.signed_on)})", 11, h=6)
    pdf.ln(5)

    recognised = [line for line in sheet.lines if line.recognised]
    rejected = [line for line in sheet.lines if not line.recognised]
    if recognised:
        _table(pdf, recognised)
    else:
        pdf.centred("(Không có sản phẩm nào được công nhận)", 10)
    if rejected:
        pdf.ln(6)
        if pdf.will_page_break(25):  # no title stranded at the foot of a page
            pdf.add_page()
        pdf.font(11, bold=True)
        pdf.cell(0, 7, "Sản phẩm không được công nhận", new_x="LMARGIN", new_y="NEXT")
        _table(pdf, rejected)

    pdf.ln(10)
    if pdf.will_page_break(40):  # keep the signature block whole
        pdf.add_page()
    pdf.signer_block(pdf.l_margin + pdf.epw / 2, pdf.epw / 2, sheet.signer_title, sheet.signer)
    return bytes(pdf.output())


def _receipt_rows(sheet: ReceiptSheet) -> list[tuple[str, str]]:
    filing = "Nộp lại hồ sơ sau khi bổ sung" if sheet.resubmission else "Nộp hồ sơ đánh giá, phân hạng sản phẩm OCOP"
    if sheet.due_on is not None:
        due = f"{_d(sheet.due_on)} ({sheet.working_days} ngày làm việc)"
    else:
        due = f"chưa có lịch làm việc năm {sheet.missing_year}" if sheet.missing_year else "-"
    return [("Mã hồ sơ", sheet.code), ("Sản phẩm", sheet.product_name), ("Chủ thể", sheet.organisation_name),
            ("Địa chỉ", sheet.place), ("Nội dung", filing), ("Cơ quan tiếp nhận, kiểm tra", sheet.unit_name),
            ("Ngày tiếp nhận", _d(sheet.received_on)), ("Hẹn trả kết quả kiểm tra", due),
            ("Căn cứ", sheet.rule_set_name)]


def receipt_pdf(sheet: ReceiptSheet) -> bytes:
    pdf = _Doc("P", f"{RECEIPT_TITLE} {sheet.code}", sheet.product_name, sheet.unit_name, sheet.received_on)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    body = [(sheet.unit_name.upper(), True), (f"Số: {sheet.code}", False)]
    pdf.header_pair(body, [(NATION, True), (MOTTO, True), (f"Ngày {_d(sheet.received_on)}", False)], 10)
    pdf.ln(10)
    pdf.centred(RECEIPT_TITLE, 14, bold=True, h=7)
    pdf.ln(6)
    pdf.font(11)
    with pdf.table(col_widths=RECEIPT_WIDTHS, text_align="LEFT", first_row_as_headings=False, line_height=6,
                   padding=(1.5, 2)) as table:
        for label, value in _receipt_rows(sheet):
            row = table.row()
            row.cell(_t(label), style=FontFace(emphasis="BOLD"))
            row.cell(_t(value))
    pdf.ln(6)
    pdf.font(10)
    for note in ("Thời hạn tính theo ngày làm việc, kể từ ngày làm việc tiếp theo ngày tiếp nhận hồ sơ.",
                 "Kết quả kiểm tra (hoặc yêu cầu bổ sung) được gửi qua thư điện tử và ghi trên trang hồ sơ.",
                 "Giấy tiếp nhận do hệ thống lập khi hồ sơ được nộp trực tuyến, không cần chữ ký.",
                 f"Xem hồ sơ: {sheet.dossier_url}"):
        pdf.multi_cell(0, 5.5, _t(f"- {note}"), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
