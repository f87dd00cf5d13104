"""API endpoints of the day's work: one review of the whole checklist, what changed since a return, the receipt."""
from __future__ import annotations

from ..documents.changes import changes_since_return
from ..documents.services import review_documents
from ..dossiers.filing import latest_receipt
from ..dossiers.models import dossier_code
from .bodies import ReviewRequest
from .dossiers import DOSSIER, dossier_response, visible_dossier
from .errors import ApiError
from .payload import parse
from .serializers import iso_day, iso_time, unit_json
from .views import api_user, bp


@bp.put(f"{DOSSIER}/review")
def review(dossier_id: int):
    """The reviewing officer's verdict on every current document at once (all or nothing); the dossier after it."""
    dossier = visible_dossier(dossier_id)
    given = parse(ReviewRequest)
    review_documents(dossier, actor=api_user(), note=given.note,
                     verdicts={key: (verdict.outcome, verdict.note) for key, verdict in given.verdicts.items()})
    return dossier_response(dossier)


@bp.get(f"{DOSSIER}/changes")
def changes(dossier_id: int):
    """What the producer changed since the dossier was last returned (empty before a resubmission)."""
    dossier = visible_dossier(dossier_id)
    return {"items": [{"what": change.what, "subject": change.subject, "at": iso_time(change.at),
                       "actor": change.actor_name, "version": change.version, "filename": change.filename or None,
                       "document_id": change.document_id} for change in changes_since_return(dossier)]}


@bp.get(f"{DOSSIER}/receipt")
def receipt(dossier_id: int):
    """The receipt of the latest filing: code, day received, the unit that checks and the legal due date."""
    dossier = visible_dossier(dossier_id)
    found = latest_receipt(dossier)
    if found is None:
        raise ApiError(404, "not_filed", "the dossier has not been filed yet")
    return {"code": dossier_code(dossier), "event": found.filing.event, "received_on": iso_day(found.received_on),
            "unit": unit_json(found.unit), "rule_set": found.rules.code, "working_days": found.working_days,
            "due_on": iso_day(found.due_on), "calendar_year_missing": found.missing_year}
