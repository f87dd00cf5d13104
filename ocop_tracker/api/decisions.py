"""API endpoints: recognition decisions (record one for many dossiers, read, attach the signed PDF) and rule sets."""
from __future__ import annotations

from flask import current_app, request, url_for

from ..clock import today as clock_today
from ..decisions import services as decision_services
from ..decisions.models import RecognitionDecision
from ..decisions.printing import signed_file_response
from ..decisions.services import DecisionLine, attach_decision_file, visible_decisions
from ..dossiers.models import Dossier
from ..dossiers.permissions import visible_dossiers
from ..dossiers.services import EVENT_READS
from ..extensions import db
from ..registry.models import Certificate
from ..rules.rulesets import all_rule_sets
from .bodies import DecisionItem, DecisionRequest
from .errors import ApiError
from .inputs import MAX_ID, MAX_PAGE, whole_arg
from .payload import parse
from .serializers import certificate_json, iso_day, iso_time
from .views import api_user, bp

DECISION = f"/decisions/<int(max={MAX_ID}):decision_id>"


def _lines(items: list[DecisionItem]) -> list[DecisionLine]:
    """Each item's dossier; one the caller cannot see stays None (its line fails)."""
    lines = []
    for item in items:
        statement = visible_dossiers(api_user(), db.select(Dossier).where(Dossier.id == item.dossier_id)).options(
            *EVENT_READS)  # what the one door reads, in the same statement
        dossier = db.session.scalar(statement) if 1 <= item.dossier_id <= MAX_ID else None
        lines.append(DecisionLine(dossier, item.dossier_id, item.version, item.outcome))
    return lines


def decision_json(decision: RecognitionDecision) -> dict:
    certificates = {c.dossier_id: c for c in db.session.scalars(
        db.select(Certificate).filter_by(decision_id=decision.id))}
    return {"id": decision.id, "number": decision.number, "signed_on": iso_day(decision.signed_on),
            "signer": decision.signer, "signer_title": decision.signer_title, "level": decision.level,
            "body": decision.body, "recorded_at": iso_time(decision.recorded_at),
            "file": url_for(".decision_file", decision_id=decision.id) if decision.file_stored_name else None,
            "items": [{"dossier_id": item.dossier_id, "state": item.dossier.state, "outcome": item.outcome,
                       "star": item.star, "certificate": certificate_json(certificates.get(item.dossier_id))}
                      for item in decision.items]}


def visible_decision(decision_id: int) -> RecognitionDecision:
    statement = visible_decisions(api_user(), db.select(RecognitionDecision).where(
        RecognitionDecision.id == decision_id))
    decision = db.session.scalar(statement)
    if decision is None:
        raise ApiError(404, "decision_not_found", "there is no such decision, or it is not yours to see")
    return decision


@bp.post("/decisions")
def record_decision():
    """One decision recognises (or not) every dossier it lists, all or nothing."""
    given = parse(DecisionRequest)
    decision = decision_services.record_decision(actor=api_user(), number=given.number, signed_on=given.signed_on,
                                                 signer=given.signer, signer_title=given.signer_title, body=given.body,
                                                 lines=_lines(given.items), today=clock_today())
    db.session.commit()
    return decision_json(decision), 201, {"Location": url_for(".decision", decision_id=decision.id)}


@bp.get("/decisions")
def list_decisions():
    page = whole_arg("page", default=1, maximum=MAX_PAGE)
    statement = visible_decisions(api_user(), db.select(RecognitionDecision))
    found = db.paginate(statement.order_by(RecognitionDecision.signed_on.desc(), RecognitionDecision.id.desc()),
                        page=page, per_page=25, error_out=False)
    return {"items": [decision_json(decision) for decision in found.items], "page": page, "per_page": 25,
            "total": found.total}


@bp.get(DECISION)
def decision(decision_id: int):
    return decision_json(visible_decision(decision_id))


# One rule for both methods: two rules on one path answer an out-of-range id with 405 instead of 404.
@bp.route(f"{DECISION}/file", methods=["GET", "PUT"])
def decision_file(decision_id: int):
    """GET the signed PDF; PUT attaches it (the deciding unit's officers)."""
    decision = visible_decision(decision_id)
    if request.method == "GET":
        return _signed_file(decision)
    upload = request.files.get("file")
    if request.mimetype != "multipart/form-data" or upload is None:
        raise ApiError(400, "multipart_required", "send the signed PDF as multipart/form-data: file")
    data = upload.read(current_app.config["DOCUMENT_MAX_BYTES"] + 1)
    if len(data) > current_app.config["DOCUMENT_MAX_BYTES"]:
        raise ApiError(413, "too_large", "the file is too large")
    attach_decision_file(decision, actor=api_user(), filename=upload.filename or "", data=data)
    db.session.commit()
    return decision_json(decision)


def _signed_file(decision: RecognitionDecision):
    try:
        return signed_file_response(decision)
    except FileNotFoundError:
        raise ApiError(404, "file_not_found", "no signed file has been attached to this decision") from None


@bp.get("/rule-sets")
def rule_sets():
    today = clock_today()
    return [{"code": rules.code, "name": rules.data["name_vi"], "name_en": rules.data["name_en"],
             "filings_from": iso_day(rules.filings_from), "filings_until": iso_day(rules.filings_until),
             "in_force": rules.in_force_on(today), "first_level": rules.first_level,
             "levels": [{"level": level.level, "recognises": list(level.recognises),
                         "sends_up_from": level.sends_up_from} for level in rules.levels]}
            for rules in all_rule_sets()]
