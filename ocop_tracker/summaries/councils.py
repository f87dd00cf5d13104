"""Council members' sections for a whole batch of members in a bounded number of statements: the first rows and
totals picked in SQL (`row_number() OVER (PARTITION BY member …)`), so a council with hundreds of files rating at
once costs what one with three does (issue 13)."""
from __future__ import annotations

from collections import defaultdict
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import and_, func
from sqlalchemy.orm import defer

from ..accounts.models import User
from ..deadlines.queries import next_deadlines
from ..dossiers.guards import EventInput
from ..dossiers.models import Dossier
from ..extensions import db
from ..reviews.models import CouncilMember, EvaluationRound, Score
from .closing import ready_to_close
from .lines import PRODUCT_LOADED, Line, Section, deadline_text, dossier_line, limited, link


def _current_round_scored(member_id, council_id=None):
    """Whether the dossier's current round holds a mark by `member_id` (given on `council_id`, when named)."""
    condition = and_(EvaluationRound.dossier_id == Dossier.id, EvaluationRound.number == Dossier.round_number,
                     Score.member_id == member_id)
    if council_id is not None:
        condition = and_(condition, Score.council_id == council_id)
    return (db.select(Score.id).join(EvaluationRound, Score.round_id == EvaluationRound.id).where(condition)
            .correlate_except(Score, EvaluationRound).exists())  # the file: of whichever query asks, however deep


def _unscored(user_ids: list[int], limit: int) -> tuple[dict[int, list[Dossier]], dict[int, int]]:
    """Per member, the first rating files of their councils they have not scored in this round, and how many."""
    seat = db.aliased(CouncilMember)
    ranked = (db.select(Dossier.id.label("dossier_id"), seat.user_id.label("member_id"),
                        func.row_number().over(partition_by=seat.user_id, order_by=Dossier.id).label("rank"),
                        func.count().over(partition_by=seat.user_id).label("total"))
              .join(seat, seat.council_id == Dossier.rating_council_id)
              .where(Dossier.state == "star_rating", seat.user_id.in_(user_ids),
                     ~_current_round_scored(seat.user_id)).subquery())
    listed: dict[int, list[Dossier]] = defaultdict(list)
    totals: dict[int, int] = {}
    for dossier, member_id, total in db.session.execute(
            db.select(Dossier, ranked.c.member_id, ranked.c.total).join(ranked, ranked.c.dossier_id == Dossier.id)
            .where(ranked.c.rank <= limit).order_by(ranked.c.member_id, Dossier.id)
            .options(defer(Dossier.rules_snapshot), PRODUCT_LOADED)):
        listed[member_id].append(dossier)
        totals[member_id] = total
    return listed, totals


def _closable(chaired: set[int], today: date, actor: User) -> list[Dossier]:
    """The rating files of the chaired councils that the chair may close now (as the guard says). Only those whose
    round holds a chair's mark on that council are weighed: the guard refuses the others (chair_score), and
    weighing reads each file's rules, seats and marks."""
    if not chaired:
        return []
    chair = db.aliased(CouncilMember)
    chair_marked = (db.select(chair.id).where(chair.council_id == Dossier.rating_council_id, chair.is_chair,
                                              _current_round_scored(chair.user_id, Dossier.rating_council_id))
                    .exists())
    candidates = list(db.session.scalars(
        db.select(Dossier).where(Dossier.state == "star_rating", Dossier.rating_council_id.in_(chaired), chair_marked)
        .order_by(Dossier.id).options(PRODUCT_LOADED)))
    return ready_to_close(candidates, EventInput(actor=actor, today=today))


def councils_sections(users: list[User], today: date, limit: int) -> dict[int, list[Section]]:
    """Council members' sections, by user id: a member scores the rating files of their councils not scored by
    them in this round; a chair also closes those whose quorum has scored."""
    if not users:
        return {}
    chaired: dict[int, set[int]] = defaultdict(set)
    for user_id, council_id in db.session.execute(
            db.select(CouncilMember.user_id, CouncilMember.council_id)
            .where(CouncilMember.user_id.in_([u.id for u in users]), CouncilMember.is_chair)):
        chaired[user_id].add(council_id)
    unscored, unscored_totals = _unscored([u.id for u in users], limit)
    closable = _closable({c for cs in chaired.values() for c in cs}, today, users[0])
    ready = {user.id: [d for d in closable if d.rating_council_id in chaired[user.id]] for user in users}
    listed = [d for ds in (*unscored.values(), *ready.values()) for d in ds[:limit]]
    deadlines = next_deadlines(list({d.id: d for d in listed}.values()), today)

    def lines(dossiers: list[Dossier], endpoint: str = "dossiers.show") -> list[Line]:
        return [dossier_line(d, d.organisation.name, notes=(deadline_text(deadlines.get(d.id)),), endpoint=endpoint)
                for d in dossiers[:limit]]

    found = {}
    for user in users:
        sections = [limited("to_score", _("Chờ bạn chấm điểm"), lines(unscored[user.id], "reviews.score"),
                            counts="waiting", total=unscored_totals.get(user.id, 0),
                            empty=_("Không có hồ sơ nào chờ bạn chấm điểm."), more_url=link("dossiers.index"))]
        if ready[user.id]:  # only a chair closes a rating, once the quorum has scored
            sections.append(limited("to_close", _("Đủ phiếu chấm, chờ bạn kết thúc chấm điểm"), lines(ready[user.id]),
                                    counts="waiting", more_url=link("dossiers.index"), total=len(ready[user.id])))
        found[user.id] = sections
    return found
