"""Refusals from the services, said to a person in their language."""
from __future__ import annotations

from flask import abort, flash
from flask_babel import gettext as _

from ..labels import missing_label
from ..workflow import EventNotAllowed, GuardFailed, NotPermitted, StaleVersion, WorkflowError


def refusal_message(error: WorkflowError) -> str:
    if isinstance(error, GuardFailed):
        items = ", ".join(missing_label(code) for code in error.missing)
        return _("Chưa thể thực hiện. Còn thiếu: %(items)s.", items=items)
    if isinstance(error, StaleVersion):
        return _("Hồ sơ vừa được người khác thay đổi. Trang đã được tải lại; vui lòng kiểm tra rồi thử lại.")
    if isinstance(error, EventNotAllowed):
        return _("Thao tác này không còn phù hợp với trạng thái hiện tại của hồ sơ.")
    if isinstance(error, NotPermitted):
        return _("Bạn không có quyền thực hiện thao tác này.")
    return _("Không thể thực hiện thao tác.")


def flash_refusal(error: WorkflowError) -> None:
    """Flash why a service refused; a permission refusal is a 403, never a hint of what exists."""
    if isinstance(error, NotPermitted):
        abort(403)
    flash(refusal_message(error), "danger" if isinstance(error, GuardFailed) else "warning")
