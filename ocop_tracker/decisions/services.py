"""Recording recognition decisions: one decision fires `decide` for every dossier it lists, all or nothing."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, false

from ..accounts.models import AdministrativeUnit, User
from ..activity.services import log_action
from ..clock import today as clock_today
from ..documents.storage import sniff_content_type
from ..dossiers.models import Dossier
from ..dossiers.permissions import can_fire
from ..dossiers.placement import acting_unit, dossier_rules, province_of, unit_at_level
from ..dossiers.services import apply_event
from ..extensions import db
from ..products.models import Product
from ..storage import put_new
from ..workflow import GuardFailed, NotPermitted, WorkflowError
from .models import DecisionItem, RecognitionDecision

MAX_FILE_BYTES = 20 * 1024 * 1024


class DecisionRefused(WorkflowError):
    """Some lines of a decision cannot be recorded; `details["items"]` says which and why. Nothing is kept."""

    code = "decision_refused"

    def __init__(self, message: str, status: int, details: dict):
        super().__init__(message, details, status=status)


@dataclass(frozen=True)
class DecisionLine:
    """One dossier as the recorder listed it: the version they saw and recognise / not_recognise."""

    dossier: Dossier | None
    dossier_id: int
    version: int
    outcome: str


def deciding_unit(dossier: Dossier, day: date) -> AdministrativeUnit | None:
    """The unit whose chairman decides the dossier at its current level (an abolished district's province)."""
    return acting_unit(unit_at_level(dossier, dossier.level), day)


def issuing_body(dossier: Dossier, level: str, unit: AdministrativeUnit) -> str:
    rules = dossier_rules(dossier)
    name = rules.level_name(level)
    return name if level == "central" else f"{name} {unit.name}"


def _header_problems(number: str, signed_on: date | None, signer: str, today: date) -> list[str]:
    missing = [] if number else ["decision_number"]
    missing += [] if signed_on is not None and signed_on <= today else ["signed_on"]
    return missing + ([] if signer else ["signer"])


def _number_taken(unit: AdministrativeUnit, number: str) -> bool:
    return db.session.scalar(db.select(RecognitionDecision.id).filter_by(unit_id=unit.id, number=number)) is not None


def _new_decision(*, actor: User, number: str, signed_on: date, signer: str, signer_title: str, level: str,
                  unit: AdministrativeUnit, body: str) -> RecognitionDecision:
    if _number_taken(unit, number):
        raise DecisionRefused(f"decision number {number} is already recorded for {unit.name}", 409,
                              {"number": number})
    decision = RecognitionDecision(number=number, signed_on=signed_on, signer=signer, signer_title=signer_title,
                                   level=level, unit=unit, body=body, recorded_by=actor)
    db.session.add(decision)
    db.session.flush()
    return decision


def record_decision(*, actor: User, number: str, signed_on: date | None, signer: str, signer_title: str = "",
                    lines: list[DecisionLine], body: str = "", today: date | None = None) -> RecognitionDecision:
    """Record a chairman's decision and fire `decide` on each dossier it lists, through the one door.

    `body` is the issuer as the decision names it, when it differs from today's unit name (a merged province).
    """
    today = today or clock_today()
    number, signer, signer_title = number.strip(), signer.strip(), signer_title.strip()
    missing = _header_problems(number, signed_on, signer, today) + ([] if lines else ["decision_items"])
    if missing:
        raise GuardFailed("a decision needs its number, a signing date not after today, the signer and dossiers",
                          missing)
    first = next((line.dossier for line in lines
                  if line.dossier is not None and line.dossier.state == "awaiting_decision"), None)
    if first is None:
        problems = [_problem(line, "dossier_not_found", "there is no such dossier, or it is not yours to see", 404)
                    if line.dossier is None else
                    _problem(line, "event_not_allowed", "the dossier is not waiting for a decision", 409)
                    for line in lines]
        raise DecisionRefused("the decision lists no dossier waiting for a decision", _status(problems),
                              {"items": problems})
    unit = deciding_unit(first, today)
    if unit is None:
        raise NotPermitted("nobody decides at this dossier's level")
    assert signed_on is not None  # _header_problems refused a missing signing date
    level = unit.level  # a district's chairman, or the province's (also for an abolished district's files)
    decision = _new_decision(actor=actor, number=number, signed_on=signed_on, signer=signer,
                             signer_title=signer_title or dossier_rules(first).decided_by(level), level=level,
                             unit=unit, body=(body or "").strip()[:200] or issuing_body(first, level, unit))
    problems = [problem for line in lines if (problem := _decide_line(line, decision, actor, unit, today))]
    if problems:
        raise DecisionRefused("some dossiers cannot be decided: nothing was recorded", _status(problems),
                              {"items": problems})
    log_action("decisions.record", actor=actor, obj=decision, data=decision_log_data(decision, [
        {"dossier_id": line.dossier_id, "outcome": line.outcome} for line in lines]))
    return decision


def decision_log_data(decision: RecognitionDecision, lines: list[dict]) -> dict:
    """The activity data of a recorded decision: its header and the dossiers it lists."""
    return {"number": decision.number, "signed_on": decision.signed_on.isoformat(), "signer": decision.signer,
            "level": decision.level, "unit_id": decision.unit_id, "lines": lines,
            "summary": f"{decision.number} ({decision.signed_on:%d/%m/%Y})"}


def _status(problems: list[dict]) -> int:
    """One answer for the whole decision: a conflict first, else what every line agrees on, else 422."""
    statuses = {problem["status"] for problem in problems}
    return 409 if 409 in statuses else statuses.pop() if len(statuses) == 1 else 422


def _problem(line: DecisionLine, code: str, message: str = "", status: int = 422) -> dict:
    return {"dossier_id": line.dossier_id, "code": code, "message": message or code, "status": status}


def _decide_line(line: DecisionLine, decision: RecognitionDecision, actor: User, unit: AdministrativeUnit,
                 today: date) -> dict | None:
    """Fire `decide` for one line in a savepoint; the problem it met, or None."""
    if line.dossier is None:
        return _problem(line, "dossier_not_found", "there is no such dossier, or it is not yours to see", 404)
    if line.outcome not in ("recognise", "not_recognise"):
        return _problem(line, "invalid_outcome", "outcome must be recognise or not_recognise")
    if line.dossier.state == "awaiting_decision" and deciding_unit(line.dossier, today) != unit:
        return _problem(line, "other_level", "this dossier is decided by another unit")
    savepoint = db.session.begin_nested()
    try:
        apply_event(line.dossier, "decide", actor=actor, version=line.version, decision=decision,
                    outcome=line.outcome, comment=f"{decision.number} ({decision.signed_on:%d/%m/%Y})", today=today)
    except WorkflowError as error:
        savepoint.rollback()
        return _problem(line, error.code, error.message, error.status)
    savepoint.commit()
    return None


def record_ministry_decision(dossier: Dossier, *, actor: User, number: str, signed_on: date | None, signer: str,
                             today: date | None = None) -> RecognitionDecision:
    """The Ministry's 5★ decision, recorded by the provincial office with the national council's score."""
    today = today or clock_today()
    number, signer = (number or "").strip(), (signer or "").strip()
    missing = _header_problems(number, signed_on, signer, today)
    if missing:
        raise GuardFailed("the Ministry's decision needs its number, signing date and signer", missing)
    assert signed_on is not None  # _header_problems refused a missing signing date
    province = province_of(dossier)
    if province is None:
        raise NotPermitted("the dossier lies in no province: nobody records the Ministry's decision for it")
    rules = dossier_rules(dossier)
    decision = _new_decision(actor=actor, number=number, signed_on=signed_on, signer=signer,
                             signer_title=rules.decided_by("central"), level="central", unit=province,
                             body=rules.level_name("central"))
    log_action("decisions.record", actor=actor, dossier=dossier, obj=decision,
               data=decision_log_data(decision, [{"dossier_id": dossier.id, "outcome": "recognise"}]))
    return decision


def recognise_nationally(dossier: Dossier, *, actor: User, version: int, score, number: str = "",
                         signed_on: date | None = None, signer: str = "", comment: str = "",
                         today: date | None = None):
    """The national council's score, and from 90 the Ministry's decision it cites: `recognise` through the door."""
    if not can_fire(actor, dossier, "recognise", today):
        raise NotPermitted("only the provincial OCOP office records the national council's result")
    decision = None
    if number or signed_on or signer:
        decision = record_ministry_decision(dossier, actor=actor, number=number, signed_on=signed_on, signer=signer,
                                            today=today)
    return apply_event(dossier, "recognise", actor=actor, version=version, score=score, decision=decision,
                       comment=comment, today=today)


def attach_decision_file(decision: RecognitionDecision, *, actor: User, filename: str, data: bytes) -> None:
    """The signed PDF of the decision; a new one replaces the old (the old file stays stored, unreferenced, for `sweep-files`)."""
    if not can_record_for(actor, decision.unit):
        raise NotPermitted("only the deciding unit's officers may attach the signed decision")
    if len(data) > MAX_FILE_BYTES or sniff_content_type(data) != ("application/pdf", ".pdf"):
        raise GuardFailed("the signed decision must be a PDF file of at most 20 MB", ["decision_file"])
    replaced = decision.file_name
    decision.file_stored_name = put_new(data, ".pdf")
    decision.file_name, decision.file_size = (filename or "quyet-dinh.pdf")[:255], len(data)
    db.session.flush()
    log_action("decisions.attach_file", actor=actor, obj=decision, data={
        "number": decision.number, "file_name": decision.file_name, "size": len(data), "replaced": replaced})


def can_record_for(user: User | None, unit: AdministrativeUnit) -> bool:
    """Officers of the deciding unit (and the province's administrators) record and file its decisions."""
    if user is None or user.unit is None:
        return False
    if user.role == "officer":
        return user.unit_id == unit.id
    return user.role == "admin" and user.unit.contains(unit)


def visible_decisions(user: User, statement: Select) -> Select:
    """Officers see their unit's decisions and those below it; producers the decisions listing their products."""
    if user.role in ("officer", "admin") and user.unit is not None:
        return statement.join(AdministrativeUnit, RecognitionDecision.unit_id == AdministrativeUnit.id).where(
            AdministrativeUnit.path.startswith(user.unit.path))
    if user.role == "producer":
        listed = (db.select(DecisionItem.decision_id).join(Dossier, DecisionItem.dossier_id == Dossier.id)
                  .join(Product, Dossier.product_id == Product.id)
                  .where(Product.organisation_id == user.organisation_id))
        return statement.where(RecognitionDecision.id.in_(listed))
    return statement.where(false())
