"""Which ratings a chair may close now, for a whole list of dossiers in three statements (the guard asks the
same thing of one dossier in three statements of its own)."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy.orm import joinedload

from ..dossiers.guards import EventInput, quorum_missing
from ..dossiers.models import Dossier
from ..dossiers.placement import dossier_rules
from ..extensions import db
from ..reviews.models import CouncilMember, EvaluationRound, Score
from ..reviews.services import counting, seated_for


def ready_to_close(dossiers: list[Dossier], given: EventInput) -> list[Dossier]:
    """The dossiers whose current round has the quorum of counted marks, the chair's among them (as
    guards.council_quorum says), in the order given."""
    if not dossiers:
        return []
    rounds = {(r.dossier_id, r.number): r for r in db.session.scalars(
        db.select(EvaluationRound).where(EvaluationRound.dossier_id.in_([d.id for d in dossiers])))}
    councils = {d.rating_council_id for d in dossiers if d.rating_council_id is not None}
    seats: dict[int, list[CouncilMember]] = defaultdict(list)
    for member in db.session.scalars(db.select(CouncilMember).where(CouncilMember.council_id.in_(councils))
                                     .options(joinedload(CouncilMember.user)).order_by(CouncilMember.id)):
        seats[member.council_id].append(member)
    marks: dict[int, list[Score]] = defaultdict(list)
    for score in db.session.scalars(db.select(Score).where(Score.round_id.in_([r.id for r in rounds.values()]))
                                    .order_by(Score.id)):
        marks[score.round_id].append(score)

    def closable(dossier: Dossier) -> bool:
        members = seated_for(seats.get(dossier.rating_council_id, []), dossier) if dossier.rating_council_id else []
        scores = counting(marks[rounds[(dossier.id, dossier.round_number)].id], members)
        return not quorum_missing(members, scores, dossier_rules(dossier), given)

    return [d for d in dossiers if closable(d)]
