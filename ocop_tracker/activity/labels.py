"""How the activity log's pages name groups of actions and show an entry's details."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .models import ActivityRecord

# The groups an administrator filters the log by: the action names' prefixes (see labels.ACTIVITY_LABELS).
ACTION_GROUPS = {
    "dossier": _l("Hồ sơ"),
    "documents": _l("Tài liệu và VietGAP"),
    "product": _l("Sản phẩm"),
    "reviews": _l("Chấm điểm"),
    "deadlines": _l("Thời hạn"),
    "decisions": _l("Quyết định công nhận"),
    "batches": _l("Đợt đánh giá"),
    "account": _l("Tài khoản cá nhân"),
    "admin": _l("Quản trị (mọi thay đổi)"),
    "admin.user": _l("Quản trị: tài khoản"),
    "admin.unit": _l("Quản trị: đơn vị hành chính"),
    "admin.organisation": _l("Quản trị: tổ chức"),
    "admin.council": _l("Quản trị: Hội đồng"),
    "admin.calendar": _l("Quản trị: lịch làm việc"),
}
# Data kept for the pages' own use (ordering, links), not worth showing as a detail.
HIDDEN_KEYS = frozenset({"summary", "changes", "after_transition"})


def _shown(value) -> str:
    return "—" if value is None or value == "" else str(value)


def activity_details(entry: ActivityRecord) -> str:
    """One line saying what changed: the entry's summary, else each changed field (old → new), else its data."""
    data = entry.data or {}
    if data.get("summary"):
        return str(data["summary"])
    parts = [f"{field}: {_shown(old)} → {_shown(new)}" for field, (old, new) in (data.get("changes") or {}).items()]
    parts += [f"{key}: {_shown(value)}" for key, value in data.items() if key not in HIDDEN_KEYS]
    return "; ".join(parts)
