"""Opening and closing a province's evaluation batches, and the batches QĐ 26 Điều 5 says come next."""
from __future__ import annotations

from datetime import date
from typing import NamedTuple

from sqlalchemy import and_, case, func

from ..accounts.models import AdministrativeUnit, User
from ..activity.services import log_action
from ..dossiers.models import Dossier
from ..extensions import db
from ..reviews.models import EvaluationBatch, EvaluationRound
from ..rules.rulesets import RuleSet, all_rule_sets, rule_set_in_force
from ..workflow import AWAITING_RESULT, EventNotAllowed, GuardFailed, NotPermitted
from .permissions import can_manage_batches


class SuggestedBatch(NamedTuple):
    name: str
    filing_cutoff: date
    decision_due: date


class BatchRow(NamedTuple):
    batch: EvaluationBatch
    admitted: int
    pending: int


def clean_name(name: str) -> str:
    return " ".join((name or "").split())


def batch_name_taken(unit: AdministrativeUnit, name: str) -> bool:
    return db.session.scalar(db.select(EvaluationBatch.id).filter_by(unit_id=unit.id, name=clean_name(name))) \
        is not None


def _require_manager(actor: User, unit: AdministrativeUnit) -> None:
    if not can_manage_batches(actor, unit):
        raise NotPermitted("only the province's OCOP office manages its evaluation batches")


def open_batch(*, actor: User, unit: AdministrativeUnit, name: str, filing_cutoff: date,
               decision_due: date) -> EvaluationBatch:
    """A new open batch of the province; its name is unique there and its decision is not due before the cut-off."""
    _require_manager(actor, unit)
    name = clean_name(name)
    missing = [] if name and not batch_name_taken(unit, name) else ["batch_name"]
    missing += [] if filing_cutoff <= decision_due else ["decision_due"]
    if missing:
        raise GuardFailed("the batch cannot be opened", missing)
    batch = EvaluationBatch(unit=unit, name=name, filing_cutoff=filing_cutoff, decision_due=decision_due)
    db.session.add(batch)
    db.session.flush()
    log_action("batches.open", actor=actor, obj=batch, data={"unit_id": unit.id, "name": name,
               "filing_cutoff": filing_cutoff.isoformat(), "decision_due": decision_due.isoformat()})
    return batch


def close_batch(batch: EvaluationBatch, *, actor: User, today: date) -> None:
    """No more files are admitted to it; closing twice is a conflict, not a silent no-op."""
    _require_manager(actor, batch.unit)
    if batch.closed_on is not None:
        raise EventNotAllowed("the batch is already closed")
    batch.closed_on = today
    db.session.flush()
    log_action("batches.close", actor=actor, obj=batch, data={"name": batch.name, "closed_on": today.isoformat()})


def _batch_rules(today: date) -> RuleSet | None:
    """The rule set in force if it holds batches, else the newest that does (QĐ 26)."""
    rules = rule_set_in_force(today)
    if rules is not None and rules.has_batches:
        return rules
    return next((rules for rules in reversed(all_rule_sets()) if rules.has_batches), None)


def suggested_batches(unit: AdministrativeUnit, today: date, limit: int = 2) -> list[SuggestedBatch]:
    """The province's next batches by the rule set's periods, skipping any already opened (same cut-off or name)."""
    rules = _batch_rules(today)
    if rules is None:
        return []
    opened = db.session.execute(db.select(EvaluationBatch.filing_cutoff, EvaluationBatch.name)
                                .filter_by(unit_id=unit.id)).all()
    cutoffs, names = {row.filing_cutoff for row in opened}, {row.name for row in opened}
    found = []
    for year in (today.year, today.year + 1):
        for number, (cutoff, due) in enumerate(rules.batch_periods("province", year), start=1):
            name = f"Đợt {number} năm {year}"  # a record's name, kept in Vietnamese as the province writes it
            if cutoff >= today and cutoff not in cutoffs and name not in names:
                found.append(SuggestedBatch(name, cutoff, due))
    return found[:limit]


def batch_overview(unit: AdministrativeUnit) -> list[BatchRow]:
    """The province's batches, newest cut-off first, with the files admitted and those still waiting on each."""
    waiting = case((and_(EvaluationRound.number == Dossier.round_number, Dossier.state.in_(AWAITING_RESULT)), 1),
                   else_=0)
    statement = (db.select(EvaluationBatch, func.count(EvaluationRound.id), func.coalesce(func.sum(waiting), 0))
                 .outerjoin(EvaluationRound, EvaluationRound.batch_id == EvaluationBatch.id)
                 .outerjoin(Dossier, Dossier.id == EvaluationRound.dossier_id)
                 .where(EvaluationBatch.unit_id == unit.id)
                 .group_by(EvaluationBatch.id)
                 .order_by(EvaluationBatch.filing_cutoff.desc(), EvaluationBatch.id.desc()))
    return [BatchRow(batch, admitted, pending) for batch, admitted, pending in db.session.execute(statement)]
