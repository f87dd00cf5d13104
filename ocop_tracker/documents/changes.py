"""What a producer changed since the dossier was returned: documents added or replaced, product fields edited.

Read from the activity log. Each logged change carries the id of the dossier's newest history row when it was
made ("after_transition"), so "after the return" is decided by the order of events, not by clocks: demo data and
catch-up runs backdate events, while uploads carry the real time.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from ..activity.models import ActivityRecord
from ..dossiers.models import Dossier, TransitionRecord
from ..extensions import db
from ..labels import DOCUMENT_KIND_LABELS

TRACKED_ACTIONS = ("documents.upload", "product.edit")
# The product's fields the producer edits, in the order the product page shows them.
PRODUCT_FIELD_LABELS = {"name": _l("Tên sản phẩm"), "product_set": _l("Bộ sản phẩm"),
                        "description": _l("Mô tả sản phẩm")}
# Events after a resubmission that take the file past the check that returned it.
MOVED_ON = frozenset({"forward", "admit", "withdraw"})


@dataclass(frozen=True)
class Change:
    """One thing changed since the return: a document kind added or replaced, or a product field edited."""

    what: str  # "added", "replaced" (documents) or "edited" (product fields)
    subject: str  # the document kind or the field's name
    label: object  # its name in the reader's language (a lazy string)
    at: datetime
    actor_name: str
    version: int | None = None
    filename: str = ""
    document_id: int | None = None


def in_vietnamese(label) -> str:
    """A label as stored summaries say it, whatever the language of the person acting."""
    with force_locale("vi"):
        return str(label)


def change_marker(dossier: Dossier) -> dict:
    """The activity data that places a change among the dossier's events."""
    latest = db.session.scalar(db.select(db.func.max(TransitionRecord.id)).filter_by(dossier_id=dossier.id))
    return {"after_transition": latest}


def upload_log_data(dossier: Dossier, document) -> dict:
    """The activity data of an uploaded version."""
    label = in_vietnamese(DOCUMENT_KIND_LABELS.get(document.kind, document.kind))
    return {"kind": document.kind, "version": document.version, "document_id": document.id,
            "filename": document.filename, "summary": f"{label} — phiên bản {document.version}",
            **change_marker(dossier)}


def product_edit_log_data(dossier: Dossier, fields: list[str]) -> dict:
    """The activity data of an edit of the product's details: which fields changed."""
    names = ", ".join(in_vietnamese(PRODUCT_FIELD_LABELS[field]) for field in fields)
    return {"fields": fields, "summary": f"Sửa: {names}", **change_marker(dossier)}


def resubmitted_return(dossier: Dossier) -> TransitionRecord | None:
    """The last return, when a resubmission followed it and the file is still at the check that returned it."""
    history = list(dossier.history)
    returns = [i for i, record in enumerate(history) if record.event == "return"]
    if not returns:
        return None
    after = [record.event for record in history[returns[-1] + 1:]]
    if "resubmit" not in after or MOVED_ON & set(after[after.index("resubmit") + 1:]):
        return None
    return history[returns[-1]]


def changes_since_return(dossier: Dossier) -> list[Change]:
    """Documents added or replaced, then product fields edited, since the last return of a resubmitted dossier."""
    returned = resubmitted_return(dossier)
    if returned is None:
        return []
    rows = db.session.scalars(db.select(ActivityRecord).filter_by(dossier_id=dossier.id)
                              .where(ActivityRecord.action.in_(TRACKED_ACTIONS)).order_by(ActivityRecord.id))
    since = [row for row in rows if ((row.data or {}).get("after_transition") or 0) >= returned.id]
    return _document_changes(since) + _field_changes(since)


def _document_changes(rows: list[ActivityRecord]) -> list[Change]:
    """One line per kind: its newest version, 'added' when the kind had no version before the return."""
    first: dict[str, ActivityRecord] = {}
    last: dict[str, ActivityRecord] = {}
    for row in rows:
        if row.action == "documents.upload":
            first.setdefault(row.data["kind"], row)
            last[row.data["kind"]] = row
    return [Change("added" if first[kind].data["version"] == 1 else "replaced", kind,
                   DOCUMENT_KIND_LABELS.get(kind, kind), row.at, row.actor_name, row.data["version"],
                   row.data.get("filename", ""), row.data.get("document_id"))
            for kind, row in last.items()]


def _field_changes(rows: list[ActivityRecord]) -> list[Change]:
    """One line per edited field, with its latest edit."""
    edits: dict[str, ActivityRecord] = {}
    for row in rows:
        if row.action == "product.edit":
            edits.update({field: row for field in row.data.get("fields", [])})
    return [Change("edited", field, PRODUCT_FIELD_LABELS[field], edits[field].at, edits[field].actor_name)
            for field in PRODUCT_FIELD_LABELS if field in edits]
