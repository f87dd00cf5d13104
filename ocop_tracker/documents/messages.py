"""Why an upload was refused, said to a person in their language (the API keeps the service's own sentence)."""
from __future__ import annotations

from flask import current_app
from flask_babel import format_decimal
from flask_babel import gettext as _

from ..labels import DOCUMENT_KIND_LABELS
from ..refusals import speaks
from .filetypes import DocumentRefused
from .storage import ACCEPTED_FORMATS

# Unsafe packages and pictures, by the reason the check gives.
_BLOATED = ("zip_bomb", "too_many_entries", "too_many_pixels")


def megabytes(size: int) -> str:
    return format_decimal(size / (1024 * 1024), "#,##0.#")


def too_large_text() -> str:
    return _("Tệp quá lớn: mỗi tệp tối đa %(mb)s MB.", mb=megabytes(current_app.config["DOCUMENT_MAX_BYTES"]))


@speaks(DocumentRefused)
def refusal_text(error: DocumentRefused) -> str:
    """Why a file was refused, and what to do about it."""
    details, code = error.details, error.code
    if code == "too_large":
        return too_large_text()
    if code == "unsupported_type":
        return _("Loại tệp không được chấp nhận (kiểm tra theo nội dung tệp, không theo tên). "
                 "Chỉ nhận: %(formats)s.", formats=", ".join(ACCEPTED_FORMATS))
    if code == "damaged_file":
        return _("Không mở được tệp %(format)s: tệp bị hỏng, tải lên chưa trọn, có mật khẩu hoặc không thật sự là "
                 "%(format)s. Hãy mở thử tệp trên máy, lưu lại rồi tải lên lần nữa.", format=details["format"])
    if code == "unsafe_file":
        return _unsafe_text(details["reason"], details["format"])
    if code == "name_mismatch":
        return _("Tên tệp có đuôi %(suffix)s nhưng nội dung là tệp %(format)s. Hãy chọn đúng tệp, hoặc đổi đuôi "
                 "tên tệp cho đúng loại.", suffix=details["declared"], format=details["format"])
    if code in ("too_many_versions", "dossier_quota", "organisation_quota"):
        return _quota_text(code, details)
    return _("Tệp rỗng, không có nội dung. Vui lòng chọn lại tệp.")


def _unsafe_text(reason: str, label: str) -> str:
    if reason == "macro":
        return _("Tệp %(format)s có chứa macro nên không được nhận. Hãy lưu lại thành tệp .docx hoặc .xlsx thường "
                 "(không có macro) rồi tải lên.", format=label)
    if reason == "executable":
        return _("Tệp %(format)s có chứa chương trình chạy được nên không được nhận. Hãy lưu tài liệu thành tệp "
                 "mới rồi tải lên.", format=label)
    if reason in _BLOATED:
        return _("Tệp %(format)s khi mở ra quá lớn (ảnh quá nhiều điểm ảnh hoặc nội dung nén bất thường). "
                 "Hãy giảm kích thước rồi tải lên lại.", format=label)
    return _("Tệp %(format)s có cấu trúc bên trong không an toàn nên không được nhận. Hãy lưu tài liệu thành tệp "
             "mới rồi tải lên.", format=label)


def _quota_text(code: str, details: dict) -> str:
    if code == "too_many_versions":
        return _("Tài liệu “%(kind)s” đã có %(count)d phiên bản; mỗi loại tài liệu của hồ sơ được tối đa %(max)d "
                 "phiên bản. Tệp chưa được lưu; nếu cần, hãy liên hệ cán bộ phụ trách.",
                 kind=DOCUMENT_KIND_LABELS[details["kind"]], count=details["versions"], max=details["max_versions"])
    sizes = {"used": megabytes(details["used_bytes"]), "size": megabytes(details["file_bytes"]),
             "max": megabytes(details["max_bytes"])}
    if code == "dossier_quota":
        return _("Các tệp của hồ sơ đã dùng %(used)s MB; thêm tệp này (%(size)s MB) sẽ vượt giới hạn %(max)s MB "
                 "của một hồ sơ. Tệp chưa được lưu.", **sizes)
    return _("Các hồ sơ của tổ chức đã dùng %(used)s MB; thêm tệp này (%(size)s MB) sẽ vượt giới hạn %(max)s MB "
             "của một tổ chức. Tệp chưa được lưu; hãy liên hệ cán bộ phụ trách.", **sizes)
