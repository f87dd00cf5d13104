"""Who may score a dossier and who may see which marks: named predicates, deny by default.

Marks stay sealed while a round is open: a member (the chair included) sees the others' marks, the
mean and the star only after submitting their own, so nobody's marks lean on anyone else's. Once the
rating is closed the council and the officers who may see the dossier read every member's marks;
the producer reads the council's result (mean, parts' means, star) but never who gave which marks.
"""
from __future__ import annotations

from ..accounts.models import User
from ..dossiers.models import Dossier
from ..dossiers.permissions import can_view, council_seat, is_own_producer
from .models import CouncilMember, EvaluationRound
from .services import current_round, own_score


def rating_seat(user: User | None, dossier: Dossier) -> CouncilMember | None:
    """The user's seat on the council the dossier was forwarded to; nobody has one before forwarding."""
    if dossier.rating_council_id is None:
        return None
    return council_seat(user, dossier)


def is_rating(dossier: Dossier) -> bool:
    """The council scores the dossier now."""
    return dossier.state == "star_rating"


def can_score(user: User | None, dossier: Dossier) -> bool:
    """Any member of the rating council, the chair included, while the council is scoring."""
    return is_rating(dossier) and rating_seat(user, dossier) is not None


def can_see_all_scores(user: User | None, dossier: Dossier, evaluation: EvaluationRound | None = None) -> bool:
    """Every member's marks with their names: see the module's docstring for the rule."""
    evaluation = evaluation or current_round(dossier)
    if rating_seat(user, dossier) is not None:
        return evaluation.closed_at is not None or own_score(evaluation, user) is not None
    return (evaluation.closed_at is not None and user is not None and user.role in ("officer", "admin")
            and can_view(user, dossier))


def can_see_council_result(user: User | None, dossier: Dossier, evaluation: EvaluationRound | None = None) -> bool:
    """The council's mean and star: whoever sees the dossier once the round is closed, else as the marks."""
    evaluation = evaluation or current_round(dossier)
    if evaluation.closed_at is not None:
        return user is not None and can_view(user, dossier)
    return can_see_all_scores(user, dossier, evaluation)


def can_open_scores(user: User | None, dossier: Dossier) -> bool:
    """The scores page: the rating council at any time, officers once the marks are open to them."""
    return rating_seat(user, dossier) is not None or can_see_all_scores(user, dossier)


def can_see_upgrade_plan(user: User | None, dossier: Dossier) -> bool:
    """The upgrade plan: the producer of the dossier, and officers (and admins) who may see the dossier."""
    if is_own_producer(user, dossier):
        return True
    return user is not None and user.role in ("officer", "admin") and can_view(user, dossier)
