"""Workflow refusals from the services, said to a person in their language (commit_point.said asks here)."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from ..clock import today as clock_today
from ..i18n import day
from ..labels import DOCUMENT_KIND_LABELS, missing_label
from ..refusals import speaks
from ..workflow import EventNotAllowed, GuardFailed, NotPermitted, StaleVersion, WorkflowError
from .guards import SUPPLEMENT


def re_rating_window_message(opens: date, closes: date, today: date) -> str:
    """The days a re-rating may be filed on, said as what the producer can do next."""
    if today > closes:
        return _("Đã quá thời hạn nộp hồ sơ đánh giá lại (hạn cuối ngày %(day)s).", day=day(closes))
    return _("Có thể đề nghị đánh giá lại từ ngày %(start)s đến hết ngày %(end)s.", start=day(opens), end=day(closes))


def _guard_message(error: GuardFailed) -> str:
    """What is missing in words; flagged documents by name, a re-rating window by its days."""
    missing = error.missing
    flagged = [DOCUMENT_KIND_LABELS.get(code.removeprefix(SUPPLEMENT), code) for code in missing
               if code.startswith(SUPPLEMENT)]
    window = error.details.get("re_rating_window")
    skipped = {"re_rating_window"} if window else set()
    others = [_("lý do vẫn chuyển hồ sơ dù còn tài liệu cần bổ sung") if code == "override_reason" else missing_label(code)
              for code in missing if not code.startswith(SUPPLEMENT) and code not in skipped]
    said = [_("Chưa thể thực hiện. Còn thiếu: %(items)s.", items=", ".join(others))] if others else []
    if window:
        said.append(re_rating_window_message(date.fromisoformat(window["opens_on"]),
                                             date.fromisoformat(window["closes_on"]), clock_today()))
    if flagged:
        said.insert(0, _("Chưa thể chuyển hồ sơ: các tài liệu sau đang được đánh dấu “Cần bổ sung”: %(documents)s. "
                         "Hãy trả lại hồ sơ để chủ thể bổ sung, hoặc chọn “Vẫn chuyển hồ sơ” và ghi lý do.",
                         documents="; ".join(str(label) for label in flagged)))
    return " ".join(said)


@speaks(WorkflowError)
def refusal_message(error: WorkflowError) -> str:
    if isinstance(error, GuardFailed):
        return _guard_message(error)
    if isinstance(error, StaleVersion):
        return _("Hồ sơ vừa được người khác thay đổi. Trang đã được tải lại; vui lòng kiểm tra rồi thử lại.")
    if isinstance(error, EventNotAllowed):
        return _("Thao tác này không còn phù hợp với trạng thái hiện tại của hồ sơ.")
    if isinstance(error, NotPermitted):
        return _("Bạn không có quyền thực hiện thao tác này.")
    return _("Không thể thực hiện thao tác.")
