"""Human names for the workflow's machine words, in the reader's language (Vietnamese msgids)."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

STATE_LABELS = {
    "draft": _l("Bản nháp"),
    "vietgap": _l("Xác nhận VietGAP"),
    "district_review": _l("Kiểm tra, đánh giá hồ sơ cấp xã"),
    "returned": _l("Trả lại để bổ sung"),
    "provincial_review": _l("Kiểm tra hồ sơ cấp tỉnh"),
    "star_rating": _l("Hội đồng đánh giá, phân hạng"),
    "awaiting_decision": _l("Chờ quyết định công nhận"),
    "central_review": _l("Hội đồng cấp trung ương"),
    "certified": _l("Đã công nhận"),
    "upgrade": _l("Chuẩn bị nâng hạng"),
    "re_rating": _l("Chuẩn bị đánh giá lại"),
    "not_recognised": _l("Không đạt"),
    "withdrawn": _l("Đã rút"),
    "revoked": _l("Đã thu hồi"),
    "expired": _l("Hết hiệu lực"),
}

# The first-level check of a round filed before July 2025 was the district's.
DISTRICT_ERA_STATE_LABELS = {"district_review": _l("Kiểm tra, đánh giá hồ sơ cấp huyện")}


def state_label(state: str, first_level: str | None = None) -> str:
    """A state's name, as the round's own procedure called it."""
    if first_level == "district" and state in DISTRICT_ERA_STATE_LABELS:
        return str(DISTRICT_ERA_STATE_LABELS[state])
    return str(STATE_LABELS.get(state, state))


# Bootstrap colour of each state's badge.
STATE_COLOURS = {
    "draft": "secondary", "vietgap": "info", "district_review": "primary", "returned": "warning",
    "provincial_review": "primary", "awaiting_decision": "primary",
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
    "forward": _l("Hoàn thành kiểm tra, chuyển hồ sơ"),
    "admit": _l("Tiếp nhận vào đợt đánh giá"),
    "close_rating": _l("Kết thúc chấm điểm"),
    "decide": _l("Quyết định công nhận"),
    "recognise": _l("Ghi kết quả Hội đồng cấp trung ương"),
    "request_upgrade": _l("Đăng ký đánh giá, nâng hạng"),
    "request_re_rating": _l("Đăng ký đánh giá, phân hạng lại"),
    "revoke": _l("Thu hồi Giấy chứng nhận"),
    "expire": _l("Đánh dấu hết hạn"),
    "cancel_round": _l("Huỷ lần đánh giá"),
    "reopen": _l("Mở lại hồ sơ"),
}

DOCUMENT_KIND_LABELS = {
    "registration_form": _l("Phiếu đăng ký đánh giá, phân hạng sản phẩm OCOP (Mẫu số 01)"),
    "self_assessment": _l("Báo cáo tự đánh giá về sản phẩm (Mẫu số 02)"),
    "business_licence": _l("Giấy chứng nhận đăng ký doanh nghiệp/hợp tác xã/hộ kinh doanh"),
    "food_safety_certificate": _l("Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm"),
    "quality_announcement": _l("Bản công bố chất lượng"),
    "test_report": _l("Phiếu kết quả kiểm nghiệm"),
    "vietgap_certificate": _l("Giấy chứng nhận VietGAP"),
    "label": _l("Nhãn sản phẩm"),
    "product_story": _l("Câu chuyện sản phẩm"),
    "photo": _l("Ảnh sản phẩm"),
    "other": _l("Tài liệu khác"),
}

ROLE_LABELS = {
    "producer": _l("Chủ thể OCOP"),
    "officer": _l("Cán bộ OCOP"),
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
    "producer": _l("Chủ thể OCOP"),
    "reviewing_officer": _l("Cán bộ cấp xã (cấp huyện trước 7/2025)"),
    "council": _l("Hội đồng đánh giá"),
    "provincial_officer": _l("Cơ quan OCOP cấp tỉnh"),
    "deciding_officer": _l("Quyết định của Chủ tịch UBND"),
}

# What the activity log calls each kind of change (ocop_tracker/activity); the action word shows otherwise.
ACTIVITY_LABELS = {
    "dossier.assign": _l("Phân công cán bộ xử lý"),
    "documents.review": _l("Ghi kết quả kiểm tra tài liệu"),
    "dossier.declare": _l("Cam kết thông tin hồ sơ là trung thực"),
    "dossier.forward_override": _l("Chuyển hồ sơ dù còn tài liệu cần bổ sung"),
    "documents.upload": _l("Tải lên tài liệu"),
    "product.edit": _l("Sửa thông tin sản phẩm"),
    "account.password_reset_requested": _l("Yêu cầu đặt lại mật khẩu qua thư"),
    "account.password_reset": _l("Đặt lại mật khẩu bằng liên kết trong thư"),
    "account.update_profile": _l("Sửa hồ sơ cá nhân"),
    "account.change_password": _l("Đổi mật khẩu"),
    "account.issue_token": _l("Tạo khoá API"),
    "account.revoke_token": _l("Thu hồi khoá API"),
    "documents.check": _l("Kiểm tra tài liệu"),
    "documents.vietgap": _l("Ghi giấy chứng nhận VietGAP"),
    "reviews.score": _l("Nhập điểm của thành viên Hội đồng"),
    "reviews.self_assessment": _l("Tự đánh giá, chấm điểm sản phẩm"),
    "deadlines.extend": _l("Gia hạn thời hạn"),
    "decisions.record": _l("Ghi quyết định công nhận"),
    "decisions.attach_file": _l("Đính kèm tệp quyết định đã ký"),
    "batches.open": _l("Mở đợt đánh giá"),
    "batches.close": _l("Đóng đợt đánh giá"),
    "product.create": _l("Đăng ký sản phẩm"),
    "admin.user.create": _l("Tạo tài khoản"),
    "admin.user.update": _l("Sửa tài khoản"),
    "admin.user.reset_password": _l("Đặt lại mật khẩu của tài khoản"),
    "admin.user.deactivate": _l("Khoá tài khoản"),
    "admin.user.reactivate": _l("Mở lại tài khoản"),
    "admin.unit.create": _l("Thêm đơn vị hành chính"),
    "admin.unit.update": _l("Sửa đơn vị hành chính"),
    "admin.organisation.create": _l("Thêm tổ chức"),
    "admin.organisation.update": _l("Sửa tổ chức"),
    "admin.council.create": _l("Lập Hội đồng đánh giá"),
    "admin.council.add_member": _l("Thêm thành viên Hội đồng"),
    "admin.council.remove_member": _l("Bỏ thành viên khỏi Hội đồng"),
    "admin.council.set_chair": _l("Chọn Chủ tịch Hội đồng"),
    "admin.calendar.add_year": _l("Thêm năm vào lịch làm việc"),
    "admin.calendar.set_source": _l("Sửa nguồn lịch làm việc của năm"),
    "admin.calendar.add_day": _l("Thêm ngày nghỉ lễ hoặc ngày làm bù"),
    "admin.calendar.remove_day": _l("Bỏ ngày khỏi lịch làm việc"),
}

# What a failed guard names as missing (documents are named by their kind).
MISSING_LABELS = {
    "comment": _l("lý do / ghi chú"),
    "received_on": _l("ngày tiếp nhận hợp lệ (không sau hôm nay, không trước ngày nộp)"),
    "vietgap_certificate": _l("giấy chứng nhận VietGAP còn hiệu lực"),
    "vietgap_comment": _l("ghi chú rằng chủ thể không có giấy chứng nhận VietGAP còn hiệu lực"),
    "rating_council": _l("Hội đồng đánh giá của đơn vị"),
    "batch": _l("đợt đánh giá đang nhận hồ sơ của tỉnh"),
    "chair_score": _l("phiếu chấm của Chủ tịch Hội đồng"),
    "spread_comment": _l("ghi chú về phiếu chấm lệch quá 10 điểm so với các thành viên khác"),
    "decision": _l("quyết định công nhận (số, ngày ký, người ký)"),
    "decision_number": _l("số quyết định"),
    "signed_on": _l("ngày ký không sau hôm nay"),
    "signer": _l("người ký"),
    "decision_items": _l("ít nhất một hồ sơ trong quyết định"),
    "decision_file": _l("tệp PDF của quyết định (tối đa 20 MB)"),
    "batch_name": _l("tên đợt chưa dùng trong tỉnh"),
    "assignee": _l("cán bộ đang làm việc tại đơn vị xử lý hồ sơ"),
    "decision_due": _l("hạn quyết định không trước hạn nộp hồ sơ"),
    "level_district": _l("cấp huyện còn tồn tại trên bản đồ hành chính (huyện đã giải thể từ 1/7/2025)"),
    "level_commune": _l("xã của chủ thể trên bản đồ hành chính hiện nay"),
    "level_province": _l("tỉnh của chủ thể trên bản đồ hành chính"),
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
    "declaration": _l("lời cam kết thông tin và tài liệu trong hồ sơ là trung thực, chính xác"),
    "parts": _l("phiếu chấm theo từng tiêu chí (vòng này không nhập điểm ba phần)"),
    "criteria": _l("điểm ba phần A, B, C (bộ quy tắc của vòng này không có phiếu theo tiêu chí)"),
    "rejection": _l("nhận định về trường hợp hồ sơ bị loại (tối đa 2000 ký tự)"),
}
SHEET_CRITERION = re.compile(r"[0-9]{2}-([0-9.]+)")  # a criterion of a sheet: "11-1.5" is criterion 1.5 of set 11


def missing_label(code: str) -> str:
    """One missing item in words; council quorum arrives as 'council_scores (2/3)'."""
    if code[:1] in ("A", "B", "C") and code[1:3] in ("", " ("):  # a score part and its range
        return str(_l("điểm phần %(part)s", part=code))
    criterion = SHEET_CRITERION.fullmatch(code)
    if criterion:
        return str(_l("một phương án của tiêu chí %(number)s trên phiếu", number=criterion.group(1)))
    if code.startswith("council_scores"):
        return str(_l("đủ số phiếu chấm của Hội đồng")) + code.removeprefix("council_scores")
    label = MISSING_LABELS.get(code) or DOCUMENT_KIND_LABELS.get(code)
    return str(label) if label else code


def register(app) -> None:
    """Make the labels available to every template."""
    from .workflow import WAITING_FOR

    app.jinja_env.globals.update(WAITING_FOR=WAITING_FOR, state_label=state_label, ACTIVITY_LABELS=ACTIVITY_LABELS, WAITING_LABELS=WAITING_LABELS,
                                 CERTIFICATE_STATUS_LABELS=CERTIFICATE_STATUS_LABELS,STATE_LABELS=STATE_LABELS, STATE_COLOURS=STATE_COLOURS,
                                 EVENT_LABELS=EVENT_LABELS, DOCUMENT_KIND_LABELS=DOCUMENT_KIND_LABELS,
                                 ROLE_LABELS=ROLE_LABELS, missing_label=missing_label)
