"""The JSON shapes of the API (see shared/api-contract.md): product, dossier summary, dossier and their parts."""
from __future__ import annotations

from datetime import UTC, date, datetime, tzinfo
from decimal import Decimal

from flask import current_app, has_request_context, url_for

from ..accounts.models import AdministrativeUnit, Organisation, User
from ..clock import VIETNAM
from ..deadlines.queries import deadline_summaries
from ..deadlines.status import DeadlineView
from ..decisions.models import RecognitionDecision
from ..documents.models import Document, VietGapCertificate
from ..documents.services import current_documents, current_vietgap, missing_documents
from ..dossiers.models import Dossier, TransitionRecord
from ..dossiers.permissions import allowed_events
from ..dossiers.placement import dossier_rules
from ..products.models import Product, ProductSet
from ..registry.models import Certificate
from ..registry.services import current_certificate
from ..reviews.models import EvaluationBatch, EvaluationRound
from ..reviews.permissions import can_see_council_result
from ..reviews.services import council_result, current_round, own_score
from ..rules.rulesets import DOCUMENT_KINDS, RuleSet


def iso_time(moment: datetime | None, naive_zone: tzinfo = UTC) -> str | None:
    """ISO 8601 in Vietnam's offset; SQLite hands times back without zone, in the zone they were written in."""
    if moment is None:
        return None
    aware = moment if moment.tzinfo else moment.replace(tzinfo=naive_zone)
    return aware.astimezone(VIETNAM).isoformat(timespec="seconds")


def iso_day(day: date | None) -> str | None:
    return day.isoformat() if day else None


def decimal_number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def path_to(endpoint: str, **values) -> str:
    """An endpoint's path, built with or without a request (exports and scripts have none)."""
    if has_request_context():
        return url_for(endpoint, **values)
    return current_app.url_map.bind("localhost").build(endpoint, values)


def unit_json(unit: AdministrativeUnit | None) -> dict | None:
    return {"id": unit.id, "name": unit.name, "level": unit.level} if unit else None


def organisation_json(organisation: Organisation) -> dict:
    return {"id": organisation.id, "name": organisation.name}


def product_set_json(product_set: ProductSet, rules: RuleSet | None, language: str) -> dict:
    return {"code": product_set.code, "number": product_set.number, "group": product_set.group.code,
            "name": product_set.name_en if language == "en" else product_set.name_vi,
            "name_vi": product_set.name_vi, "name_en": product_set.name_en,
            "vietgap_stage": rules is not None and rules.has_vietgap_stage(product_set.number)}


def product_json(product: Product) -> dict:
    return {"id": product.id, "name": product.name, "product_set": product.product_set.code,
            "description": product.description, "organisation": organisation_json(product.organisation)}


def contract_deadline(summary: dict) -> dict:
    """The contract knows on_time, due_soon, overdue and met: a due date not yet computable (its calendar year
    is missing) is on time, with due_on null."""
    if summary["status"] == "unknown":
        return {**summary, "status": "on_time", "due_on": None}
    return summary


def assignee_json(user: User | None) -> dict | None:
    """The officer who handles the dossier now (work queue assignment)."""
    return {"id": user.id, "username": user.username, "full_name": user.full_name} if user else None


def dossier_summary_json(dossier: Dossier) -> dict:
    """A dossier as lists show it; `unit` is the reviewing unit (set from the rule set when the dossier opens)."""
    product = dossier.product
    return {"id": dossier.id, "state": dossier.state, "version": dossier.version, "rule_set": dossier.rule_set,
            "round": dossier.round_number, "dossier_type": dossier.dossier_type,
            "product": {"id": product.id, "name": product.name, "product_set": product.product_set.code},
            "organisation": organisation_json(product.organisation),
            "unit": unit_json(dossier.review_unit or product.organisation.unit),
            "received_on": iso_day(dossier.received_on), "updated_at": iso_time(dossier.updated_at),
            "assignee": assignee_json(dossier.assignee)}


def list_item_json(dossier: Dossier, deadline: DeadlineView | None) -> dict:
    """A row of `GET /dossiers`: the summary and the next open deadline."""
    return {**dossier_summary_json(dossier),
            "next_deadline": contract_deadline(deadline.summary()) if deadline else None}


def document_json(document: Document) -> dict:
    return {"id": document.id, "kind": document.kind, "filename": document.filename, "version": document.version,
            "valid_until": iso_day(document.valid_until), "uploaded_at": iso_time(document.uploaded_at),
            "issuer": document.issuer, "content_type": document.content_type, "size": document.size,
            "url": path_to("api.document_file", dossier_id=document.dossier_id, document_id=document.id)}


def vietgap_json(record: VietGapCertificate | None) -> dict | None:
    if record is None:
        return None
    return {"certificate_no": record.certificate_no, "issuer": record.issuer,
            "issued_on": iso_day(record.issued_on), "valid_until": iso_day(record.valid_until)}


def decision_summary_json(decision: RecognitionDecision | None) -> dict | None:
    if decision is None:
        return None
    return {"id": decision.id, "number": decision.number, "signed_on": iso_day(decision.signed_on),
            "signer": decision.signer, "signer_title": decision.signer_title, "level": decision.level,
            "body": decision.body}


def certificate_json(certificate: Certificate | None) -> dict | None:
    """`expires_on` is the last valid day (design.md, Validity)."""
    if certificate is None:
        return None
    return {"code": certificate.code, "star": certificate.star, "issued_on": iso_day(certificate.issued_on),
            "expires_on": iso_day(certificate.expires_on), "recognised_by": certificate.recognised_by,
            "status": certificate.status, "decision": decision_summary_json(certificate.decision)}


def batch_json(batch: EvaluationBatch | None) -> dict | None:
    if batch is None:
        return None
    return {"id": batch.id, "name": batch.name, "filing_cutoff": iso_day(batch.filing_cutoff),
            "decision_due": iso_day(batch.decision_due)}


def score_json(dossier: Dossier, evaluation: EvaluationRound, user: User, rules: RuleSet) -> dict | None:
    """The council's result of the current round (means), to whoever the pages would show it; else null."""
    if not can_see_council_result(user, dossier, evaluation):
        return None
    result = council_result(dossier, evaluation, rules)
    if result.count == 0:
        return None
    return {"total": decimal_number(result.mean), "members": result.count, "quorum": result.quorum,
            "parts": {part: decimal_number(value) for part, value in result.parts.items()},
            "star": result.star, "flagged": len(result.flagged)}


def my_score_json(evaluation: EvaluationRound, user: User) -> dict | None:
    """The caller's own marks in the current round (council members only ever have some)."""
    mine = own_score(evaluation, user) if user.role == "council_member" else None
    if mine is None:
        return None
    return {"parts": {"A": decimal_number(mine.part_a), "B": decimal_number(mine.part_b),
                      "C": decimal_number(mine.part_c)}, "total": decimal_number(mine.total)}


def star_of(evaluation: EvaluationRound, certificate: Certificate | None) -> int | None:
    """The star the dossier holds: its valid certificate's; else the council's result while it waits for a decision
    or the national council, or when it was not recognised."""
    if certificate is not None and certificate.status == "valid":
        return certificate.star
    return evaluation.star if evaluation.decision in (None, "not_recognised") else None


def history_json(record: TransitionRecord) -> dict:
    # apply_event writes the time in Vietnam's zone, which SQLite keeps as wall-clock time without the zone.
    return {"event": record.event, "from": record.from_state, "to": record.to_state, "actor": record.actor_name,
            "at": iso_time(record.at), "comment": record.comment, "round": record.round_number}


def dossier_json(dossier: Dossier, user: User, today: date) -> dict:
    """The whole dossier as `GET /dossiers/{id}` shows it to `user` on `today`."""
    rules, evaluation = dossier_rules(dossier), current_round(dossier)
    certificate = current_certificate(dossier)
    documents = sorted(current_documents(dossier).values(), key=lambda doc: DOCUMENT_KINDS.index(doc.kind))
    return {
        **dossier_summary_json(dossier),
        "vietgap_stage": rules.has_vietgap_stage(dossier.product.product_set.number),
        "allowed_events": allowed_events(user, dossier),
        "deadlines": [contract_deadline(summary) for summary in deadline_summaries(dossier, today)],
        "documents": [document_json(document) for document in documents],
        "missing_documents": missing_documents(dossier, rules, today),
        "vietgap": vietgap_json(current_vietgap(dossier)),
        "score": score_json(dossier, evaluation, user, rules),
        "my_score": my_score_json(evaluation, user),
        "star": star_of(evaluation, certificate),
        "certificate": certificate_json(certificate),
        "level": dossier.level,
        "batch": batch_json(evaluation.batch),
        "history": [history_json(record) for record in dossier.history],
    }
