"""Council pages: each member's scores for parts A/B/C, and the council panel of the dossier page."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..commit_point import saved
from ..dossiers.forms import event_form
from ..dossiers.kept_input import keep_input, take_input
from ..dossiers.models import Dossier
from ..dossiers.page import DANGEROUS_EVENTS
from ..dossiers.permissions import allowed_events
from ..dossiers.placement import dossier_rules
from ..dossiers.queries import visible_dossier_or_404
from ..rules.sheets import Sheet
from .forms import ScoreForm
from .models import CouncilMember, EvaluationRound, Score
from .permissions import (
    can_open_scores,
    can_score,
    can_see_all_scores,
    can_see_council_result,
    can_see_upgrade_plan,
    is_rating,
    rating_seat,
)
from .services import (
    council_result,
    counted_scores,
    current_round,
    dossier_rounds,
    own_score,
    score_dossier,
    sitting_members,
)
from .sheet_forms import SheetScoreForm
from .sheet_page import flash_sheet_errors, member_sheet_form, sheet_score_context
from .sheet_scoring import round_sheet
from .upgrade_plan import UpgradePlan, upgrade_plan

bp = Blueprint("reviews", __name__)

ROUND_KIND_LABELS = {"new": _l("Đánh giá lần đầu"), "upgrade": _l("Đánh giá, nâng hạng"),
                     "re_rating": _l("Đánh giá, phân hạng lại")}
bp.record_once(lambda state: state.app.jinja_env.globals.update(ROUND_KIND_LABELS=ROUND_KIND_LABELS))


@bp.route("/dossiers/<int:dossier_id>/scores", methods=["GET", "POST"])
def score(dossier_id: int):
    """A member enters or corrects their marks; the others' appear once their own are in."""
    dossier = visible_dossier_or_404(current_user, dossier_id)
    if not can_open_scores(current_user, dossier):
        abort(403)
    evaluation = current_round(dossier)
    sheet = round_sheet(evaluation, dossier)
    if sheet is not None:
        return _score_on_sheet(dossier, evaluation, sheet)
    maxima = dossier_rules(dossier).part_maxima
    mine = own_score(evaluation, current_user)
    form = ScoreForm(maxima, data={"part_a": mine.part_a, "part_b": mine.part_b, "part_c": mine.part_c}
                     if mine and request.method == "GET" else None)
    status = 200
    if request.method == "POST":
        # Only the council posts here; a closed rating is refused by the service with its reason.
        if rating_seat(current_user, dossier) is None:
            abort(403)
        if form.validate_on_submit():
            # Saved or refused (the rating closed meanwhile...), the page again by GET: a reload never posts.
            saved(lambda: score_dossier(dossier, actor=current_user, parts=form.parts),
                  success=_("Đã lưu phiếu chấm của bạn."))
            return redirect(url_for(".score", dossier_id=dossier_id))
        status = 400  # a mark out of range: said on its field, on the same address as the page
    return render_template("reviews/score.html", **_score_context(dossier, evaluation, form)), status


def _score_on_sheet(dossier: Dossier, evaluation: EvaluationRound, sheet: Sheet):
    """The official sheet: one option per criterion. An incomplete sheet comes back as posted, every tick kept;
    saved or refused by the service (the rating closed meanwhile...), the page again by GET."""
    posted = request.method == "POST"
    if posted and rating_seat(current_user, dossier) is None:
        abort(403)
    key = f"sheet:{dossier.id}"
    form = member_sheet_form(sheet, evaluation, own_score(evaluation, current_user), posted,
                             None if posted else take_input(key))
    status = 200
    if posted:
        # A closed rating is refused by the service with its reason, whatever the sheet holds.
        if form.validate_on_submit() or not is_rating(dossier):
            if saved(lambda: score_dossier(dossier, actor=current_user, criteria=form.criteria, notes=form.notes,
                                           rejection=form.rejection_text),
                     success=_("Đã lưu phiếu chấm của bạn.")) is not None:
                keep_input(key, form, errors={})  # the ticks ride along while the cookie has room
            return redirect(url_for(".score", dossier_id=dossier.id))
        flash_sheet_errors(form)
        status = 400
    context = _score_context(dossier, evaluation, form)
    context.update(sheet=sheet, **sheet_score_context(dossier, evaluation, context["rules"], bool(context["scores"])))
    return render_template("reviews/score.html", **context), status


def _score_context(dossier: Dossier, evaluation: EvaluationRound, form: ScoreForm | SheetScoreForm) -> dict:
    """What the scores page shows this user: their form, and the others' marks only when allowed."""
    rules = dossier_rules(dossier)
    all_scores = counted_scores(evaluation, sitting_members(dossier.rating_council_id, dossier))
    see_all = can_see_all_scores(current_user, dossier, evaluation)
    event_forms = {}
    if "close_rating" in allowed_events(current_user, dossier):
        event_forms["close_rating"] = event_form("close_rating")
        event_forms["close_rating"].version.data = dossier.version  # the version this page shows
    return {
        "dossier": dossier, "evaluation": evaluation, "rules": rules, "form": form,
        "seat": rating_seat(current_user, dossier), "can_score": can_score(current_user, dossier),
        "mine": next((s for s in all_scores if s.member_id == current_user.id), None),
        "scores": all_scores if see_all else [], "count": len(all_scores),
        "result": council_result(dossier, evaluation, rules)
        if can_see_council_result(current_user, dossier, evaluation) else None,
        "event_forms": event_forms, "dangerous_events": DANGEROUS_EVENTS, "sheet": None,
    }


@dataclass(frozen=True)
class CouncilPanel:
    """The council part of the dossier page for the signed-in user."""

    seat: CouncilMember | None
    can_score: bool
    mine: Score | None
    can_see_all: bool
    earlier: list[EvaluationRound]
    rating: bool  # the council is scoring the dossier now


@bp.app_template_global()
def council_panel(dossier: Dossier, evaluation: EvaluationRound) -> CouncilPanel:
    """Read by templates/reviews/_scores.html, which the dossier page includes."""
    seat = rating_seat(current_user, dossier)
    return CouncilPanel(
        seat=seat, can_score=can_score(current_user, dossier),
        mine=own_score(evaluation, current_user) if seat else None,
        can_see_all=can_see_all_scores(current_user, dossier, evaluation),
        earlier=[r for r in dossier_rounds(dossier) if r.number < evaluation.number], rating=is_rating(dossier))


@bp.app_template_global()
def upgrade_plan_for(dossier: Dossier) -> UpgradePlan | None:
    """Read by templates/reviews/_upgrade_plan.html: the plan, for those who may see it."""
    return upgrade_plan(dossier) if can_see_upgrade_plan(current_user, dossier) else None
