"""Human names for the workflow's machine words, in the reader's language (Vietnamese msgids)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

STATE_LABELS = {
    "draft": _l("Bản nháp"),
    "vietgap": _l("Xác nhận VietGAP"),
    "district_review": _l("Thẩm định cấp cơ sở"),
    "returned": _l("Trả lại để bổ sung"),
    "star_rating": _l("Hội đồng chấm điểm"),
    "central_review": _l("Chờ Hội đồng Trung ương"),
    "certified": _l("Đã công nhận"),
    "upgrade": _l("Chuẩn bị nâng hạng"),
    "re_rating": _l("Chuẩn bị đánh giá lại"),
    "not_recognised": _l("Không đạt"),
    "withdrawn": _l("Đã rút"),
    "revoked": _l("Đã thu hồi"),
    "expired": _l("Hết hiệu lực"),
}

# Bootstrap colour of each state's badge.
STATE_COLOURS = {
    "draft": "secondary", "vietgap": "info", "district_review": "primary", "returned": "warning",
    "star_rating": "primary", "central_review": "primary", "certified": "success", "upgrade": "info",
    "re_rating": "info", "not_recognised": "danger", "withdrawn": "dark", "revoked": "danger",
    "expired": "dark",
}

EVENT_LABELS = {
    "submit": _l("Nộp hồ sơ"),
    "resubmit": _l("Nộp lại hồ sơ"),
    "withdraw": _l("Rút hồ sơ"),
    "verify_vietgap": _l("Xác nhận VietGAP"),
    "return": _l("Trả lại để bổ sung"),
    "forward": _l("Chuyển Hội đồng đánh giá"),
    "close_rating": _l("Kết thúc chấm điểm"),
    "recognise": _l("Công nhận theo kết quả Trung ương"),
    "request_upgrade": _l("Đề nghị nâng hạng sao"),
    "request_re_rating": _l("Đề nghị đánh giá lại"),
    "revoke": _l("Thu hồi chứng nhận"),
    "expire": _l("Đánh dấu hết hạn"),
    "cancel_round": _l("Huỷ đợt đánh giá"),
    "reopen": _l("Mở lại hồ sơ"),
    "extend_deadline": _l("Gia hạn thời hạn"),
}

DOCUMENT_KIND_LABELS = {
    "registration_form": _l("Phiếu đăng ký sản phẩm"),
    "self_assessment": _l("Phiếu tự đánh giá"),
    "business_licence": _l("Giấy đăng ký kinh doanh"),
    "food_safety_certificate": _l("Giấy chứng nhận an toàn thực phẩm"),
    "quality_announcement": _l("Bản công bố chất lượng"),
    "test_report": _l("Phiếu kết quả kiểm nghiệm"),
    "vietgap_certificate": _l("Giấy chứng nhận VietGAP"),
    "label": _l("Nhãn sản phẩm"),
    "product_story": _l("Câu chuyện sản phẩm"),
    "photo": _l("Ảnh sản phẩm"),
    "other": _l("Tài liệu khác"),
}

ROLE_LABELS = {
    "producer": _l("Chủ thể sản xuất"),
    "officer": _l("Cán bộ thẩm định"),
    "council_member": _l("Thành viên Hội đồng"),
    "admin": _l("Quản trị viên"),
}

CERTIFICATE_STATUS_LABELS = {
    "valid": _l("Còn hiệu lực"),
    "superseded": _l("Đã được thay thế"),
    "expired": _l("Hết hạn"),
    "revoked": _l("Đã thu hồi"),
}

# Whom a dossier waits for (workflow.WAITING_FOR's actor words).
WAITING_LABELS = {
    "producer": _l("Chủ thể sản xuất"),
    "reviewing_officer": _l("Cán bộ thẩm định"),
    "council": _l("Hội đồng đánh giá"),
    "provincial_officer": _l("Cấp tỉnh / Trung ương"),
}

# What a failed guard names as missing (documents are named by their kind).
MISSING_LABELS = {
    "comment": _l("lý do / ghi chú"),
    "received_on": _l("ngày tiếp nhận hợp lệ (không sau hôm nay, không trước ngày nộp)"),
    "vietgap_certificate": _l("giấy chứng nhận VietGAP còn hiệu lực"),
    "rating_council": _l("Hội đồng đánh giá của đơn vị"),
    "score": _l("điểm của Hội đồng Trung ương (0–100)"),
    "grounds": _l("căn cứ thu hồi"),
    "star_below_5": _l("hạng sao dưới 5 sao"),
    "re_rating_window": _l("thời hạn nộp đánh giá lại (từ 180 đến 120 ngày trước ngày hết hiệu lực)"),
    "certificate": _l("giấy chứng nhận OCOP"),
    "expiry_date": _l("ngày hết hạn của giấy chứng nhận"),
    "kind": _l("loại tài liệu"),
    "valid_until": _l("ngày hết hiệu lực sau ngày cấp"),
    "note": _l("ghi chú nêu rõ nội dung cần bổ sung"),
    "outcome": _l("kết quả kiểm tra"),
    "issuer": _l("cơ quan cấp (tối đa 200 ký tự)"),
    "product_set": _l("bộ sản phẩm chỉ đổi được khi hồ sơ còn là bản nháp"),
}


def missing_label(code: str) -> str:
    """One missing item in words; council quorum arrives as 'council_scores (2/3)'."""
    if code[:1] in ("A", "B", "C") and code[1:3] in ("", " ("):  # a score part and its range
        return str(_l("điểm phần %(part)s", part=code))
    if code.startswith("council_scores"):
        return str(_l("đủ số phiếu chấm của Hội đồng")) + code.removeprefix("council_scores")
    label = MISSING_LABELS.get(code) or DOCUMENT_KIND_LABELS.get(code)
    return str(label) if label else code


def register(app) -> None:
    """Make the labels available to every template."""
    from .workflow import WAITING_FOR

    app.jinja_env.globals.update(WAITING_FOR=WAITING_FOR, WAITING_LABELS=WAITING_LABELS,
                                 CERTIFICATE_STATUS_LABELS=CERTIFICATE_STATUS_LABELS,STATE_LABELS=STATE_LABELS, STATE_COLOURS=STATE_COLOURS,
                                 EVENT_LABELS=EVENT_LABELS, DOCUMENT_KIND_LABELS=DOCUMENT_KIND_LABELS,
                                 ROLE_LABELS=ROLE_LABELS, missing_label=missing_label)
