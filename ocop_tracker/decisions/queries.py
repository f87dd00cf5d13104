"""What the decision pages read: the dossiers awaiting the user's decision, the lines posted, the list."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Select, func
from sqlalchemy.orm import joinedload

from ..accounts.models import User
from ..dossiers.awaiting import awaiting_condition
from ..dossiers.models import Dossier
from ..dossiers.permissions import can_fire, visible_dossiers
from ..dossiers.services import EVENT_READS
from ..extensions import db
from ..query_args import id_arg
from ..reviews.models import EvaluationRound
from .models import DecisionItem, RecognitionDecision
from .services import DecisionLine, visible_decisions

PER_PAGE = 25


def awaiting_decision(user: User, day: date, limit: int | None = None) -> list[tuple[Dossier, EvaluationRound]]:
    """Dossiers waiting for a decision the user's unit records, with their current round, by id; with `limit`, at
    most that many, in no set order (the list page asks whether there is one). SQL keeps those whose deciding
    officer the user is (awaiting_condition), so can_fire's per-dossier checks run on those only."""
    ids = visible_dossiers(user, db.select(Dossier.id).where(
        Dossier.state == "awaiting_decision", awaiting_condition(user, day)))
    if limit is None:
        dossiers = [d for d in db.session.scalars(_with_event_reads(ids)) if can_fire(user, d, "decide", day)]
    else:
        dossiers = _some_firable(user, day, ids, limit)
    rounds = {(r.dossier_id, r.number): r for r in db.session.scalars(db.select(EvaluationRound).where(
        EvaluationRound.dossier_id.in_([d.id for d in dossiers])).options(joinedload(EvaluationRound.batch)))}
    return [(dossier, rounds[(dossier.id, dossier.round_number)]) for dossier in dossiers]


def _with_event_reads(ids: Select) -> Select[Dossier]:
    """The dossiers of `ids` by id, with what can_fire reads: the joins run on those rows only."""
    return db.select(Dossier).where(Dossier.id.in_(ids)).options(*EVENT_READS).order_by(Dossier.id)


def _some_firable(user: User, day: date, ids: Select, limit: int) -> list[Dossier]:
    """`limit` dossiers the user may decide, read `limit` at a time, twice as many at each new read. Unordered, so
    PostgreSQL stops at the first rows it finds: sorting them by id read every waiting dossier of a province, and
    the list page asks for one (issue 13). SQL already keeps the user's own: the first read is nearly always the
    last."""
    found: list[Dossier] = []
    seen: list[int] = []
    size = limit
    while len(found) < limit:
        read = list(db.session.scalars(_with_event_reads(ids.where(Dossier.id.not_in(seen)).limit(size))))
        found += [d for d in read if can_fire(user, d, "decide", day)]
        if len(read) < size:
            break
        seen += [d.id for d in read]
        size *= 2
    return found[:limit]


def read_lines(form, waiting: list[tuple[Dossier, EvaluationRound]]) -> list[DecisionLine]:
    """The lines the officer marked: outcome-<id> = recognise / not_recognise, with the version the page showed."""
    lines = []
    for dossier, _round in waiting:
        outcome = form.get(f"outcome-{dossier.id}", "")
        if outcome:
            version = form.get(f"version-{dossier.id}", type=int)
            lines.append(DecisionLine(dossier, dossier.id, version if version is not None else -1, outcome))
    return lines


def outcome_choices(request, waiting) -> dict[int, str]:
    """What each line shows selected: what was posted, or the dossier (or batch) the page was opened for."""
    if request.method == "POST":
        return {dossier.id: request.form.get(f"outcome-{dossier.id}", "") for dossier, _r in waiting}
    only, batch = id_arg("dossier"), id_arg("batch")
    return {dossier.id: "recognise" if dossier.id == only or (batch and evaluation.batch_id == batch) else ""
            for dossier, evaluation in waiting}


def decision_page(user: User, page: int):
    statement = visible_decisions(user, db.select(RecognitionDecision)).order_by(
        RecognitionDecision.signed_on.desc(), RecognitionDecision.id.desc())
    return db.paginate(statement, page=page, per_page=PER_PAGE, max_per_page=PER_PAGE, error_out=False)


def line_counts(decisions: list[RecognitionDecision]) -> dict[int, int]:
    """How many dossiers each listed decision names, counted in SQL: loading the lines to count them built ten
    rows per decision at 100,000 dossiers (issue 13)."""
    if not decisions:
        return {}  # nothing listed: no statement (a council member's page)
    counted = db.session.execute(db.select(DecisionItem.decision_id, func.count()).where(
        DecisionItem.decision_id.in_([d.id for d in decisions])).group_by(DecisionItem.decision_id))
    return {decision_id: count for decision_id, count in counted}
