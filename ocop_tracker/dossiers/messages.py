"""Refusals from the services, said to a person in their language."""
from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash
from flask_babel import gettext as _

from ..extensions import db
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


def committed(change: Callable[[], object]) -> WorkflowError | None:
    """Run one service call and commit; a refusal is rolled back (nothing half-written) and returned."""
    try:
        change()
    except WorkflowError as error:
        db.session.rollback()
        return error
    db.session.commit()
    return None


def saved(change: Callable[[], object], success: str | None = None) -> WorkflowError | None:
    """`committed`, then say so: the success flashed, or why it was refused."""
    refusal = committed(change)
    if refusal is None:
        flash(success or _("Đã lưu."), "success")
    else:
        flash_refusal(refusal)
    return refusal
