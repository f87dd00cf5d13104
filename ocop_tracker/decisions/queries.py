"""What the decision pages read: the dossiers awaiting the user's decision, the lines posted, the list."""
from __future__ import annotations

from datetime import date
from itertools import islice

from sqlalchemy.orm import joinedload, selectinload

from ..accounts.models import User
from ..dossiers.awaiting import awaiting_condition
from ..dossiers.models import Dossier
from ..dossiers.permissions import can_fire, visible_dossiers
from ..dossiers.services import EVENT_READS
from ..extensions import db
from ..query_args import id_arg
from ..reviews.models import EvaluationRound
from .models import RecognitionDecision
from .services import DecisionLine, visible_decisions

PER_PAGE = 25


def awaiting_decision(user: User, day: date, limit: int | None = None) -> list[tuple[Dossier, EvaluationRound]]:
    """Dossiers waiting for a decision the user's unit records, with their current round. SQL keeps those whose
    deciding officer the user is (awaiting_condition), so can_fire's per-dossier checks run on those only, and
    stop at `limit` (the list page asks for one: it read every waiting dossier of the country before)."""
    statement = visible_dossiers(user, db.select(Dossier).where(
        Dossier.state == "awaiting_decision", awaiting_condition(user, day))).options(*EVENT_READS).order_by(Dossier.id)
    firable = (d for d in db.session.scalars(statement) if can_fire(user, d, "decide", day))
    dossiers = list(islice(firable, limit))
    rounds = {(r.dossier_id, r.number): r for r in db.session.scalars(db.select(EvaluationRound).where(
        EvaluationRound.dossier_id.in_([d.id for d in dossiers])).options(joinedload(EvaluationRound.batch)))}
    return [(dossier, rounds[(dossier.id, dossier.round_number)]) for dossier in dossiers]


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
    statement = visible_decisions(user, db.select(RecognitionDecision)).options(
        selectinload(RecognitionDecision.items)).order_by(  # the page counts each decision's lines
        RecognitionDecision.signed_on.desc(), RecognitionDecision.id.desc())
    return db.paginate(statement, page=page, per_page=PER_PAGE, max_per_page=PER_PAGE, error_out=False)
