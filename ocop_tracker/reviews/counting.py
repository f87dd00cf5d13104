"""Which marks of a round count: the sitting members' of the rating council (used by the scores and the sheets)."""
from __future__ import annotations

from sqlalchemy.orm import joinedload

from ..accounts.models import User
from ..dossiers.models import Dossier
from ..extensions import db
from .models import CouncilMember, EvaluationRound, Score


def current_round(dossier: Dossier) -> EvaluationRound:
    return db.session.scalars(db.select(EvaluationRound).filter_by(
        dossier_id=dossier.id, number=dossier.round_number)).one()


def sitting_members(council_id: int | None, dossier: Dossier | None = None) -> list[CouncilMember]:
    """The council's members now; one who belongs to the producer's organisation does not sit for its product."""
    if council_id is None:
        return []
    members = db.session.scalars(db.select(CouncilMember).filter_by(council_id=council_id)
                                 .order_by(CouncilMember.id)).all()
    return list(members) if dossier is None else seated_for(members, dossier)


def seated_for(members, dossier: Dossier) -> list[CouncilMember]:
    """Of the council's members (in seat order), those who sit for the dossier's product."""
    return [m for m in members if m.user.organisation_id is None
            or m.user.organisation_id != dossier.product.organisation_id]


def counted_scores(evaluation: EvaluationRound, members: list[CouncilMember]) -> list[Score]:
    """The marks that count: this council's, given by members who still sit on it."""
    return counting(round_scores(evaluation), members) if members else []


def counting(scores: list[Score], members: list[CouncilMember]) -> list[Score]:
    """Of a round's marks, those of the sitting members' council given by members who still sit on it."""
    if not members:
        return []
    council_id, sitting = members[0].council_id, {member.user_id for member in members}
    return [score for score in scores if score.council_id == council_id and score.member_id in sitting]


def own_score(evaluation: EvaluationRound, user: User | None) -> Score | None:
    """The user's own marks in the round, if they have scored."""
    if user is None:
        return None
    return db.session.scalar(db.select(Score).filter_by(round_id=evaluation.id, member_id=user.id))


def round_scores(evaluation: EvaluationRound) -> list[Score]:
    """Every member's marks in the round (every council's), with the member loaded (one query)."""
    return list(db.session.scalars(db.select(Score).filter_by(round_id=evaluation.id)
                                   .options(joinedload(Score.member)).order_by(Score.id)))


def closing_scores(evaluation: EvaluationRound) -> list[Score]:
    """The marks of the council that rated a closed round last (a district's and then the province's may both
    have scored it): what the round's result was computed from."""
    scores = round_scores(evaluation)
    council_id = scores[-1].council_id if scores else None
    return [score for score in scores if score.council_id == council_id]
