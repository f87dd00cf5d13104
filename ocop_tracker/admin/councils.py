"""Administration of evaluation councils: one per unit, its members and its one chair."""
from __future__ import annotations

from flask import abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.models import AdministrativeUnit, User
from ..commit_point import saved
from ..extensions import db
from ..reviews.models import Council, CouncilMember
from .forms import ButtonForm, CouncilForm, CouncilMemberForm, candidate_choices, unit_choices
from .queries import councils_statement
from .services import add_council_member, create_council, remove_council_member, set_council_chair
from .views import bp, form_page, paginated


@bp.get("/councils")
def councils():
    return render_template("admin/councils.html", page=paginated(councils_statement()))


@bp.route("/councils/new", methods=["GET", "POST"])
def new_council():
    form = CouncilForm()
    form.unit.choices = unit_choices(blank=False, without_council=True)
    if form.validate_on_submit() and saved(
            lambda: create_council(db.get_or_404(AdministrativeUnit, form.unit.data), actor=current_user,
                                   name=form.name.data), _("Đã lập %(name)s.", name=form.name.data.strip()),
            unseen=True) is None:
        council = db.session.scalar(db.select(Council).filter_by(unit_id=form.unit.data))
        return redirect(url_for(".council", council_id=council.id))
    return form_page("admin/council_new.html", form=form)


def _council_page(council: Council, form: CouncilMemberForm | None = None):
    form = form or CouncilMemberForm(formdata=None)
    form.user.choices = candidate_choices(council)
    seats = sorted(council.members, key=lambda seat: (not seat.is_chair, seat.user.full_name, seat.user.username))
    return form_page("admin/council.html", council=council, seats=seats, form=form)


@bp.get("/councils/<int:council_id>")
def council(council_id: int):
    return _council_page(db.get_or_404(Council, council_id))


@bp.post("/councils/<int:council_id>/members")
def add_member(council_id: int):
    council = db.get_or_404(Council, council_id)
    form = CouncilMemberForm()
    form.user.choices = candidate_choices(council)
    if form.validate_on_submit() and saved(
            lambda: add_council_member(council, db.get_or_404(User, form.user.data), actor=current_user),
            _("Đã thêm thành viên."), unseen=True) is None:
        return redirect(url_for(".council", council_id=council_id))
    return _council_page(council, form)


def _seat_button(council_id: int, seat_id: int, change, success: str):
    """A button on one member's seat: the seat must belong to the council in the URL."""
    seat = db.get_or_404(CouncilMember, seat_id)
    if seat.council_id != council_id:
        abort(404)
    if ButtonForm().validate_on_submit():
        saved(lambda: change(seat, actor=current_user), success, unseen=True)
    return redirect(url_for(".council", council_id=council_id))


@bp.post("/councils/<int:council_id>/members/<int:seat_id>/remove")
def remove_member(council_id: int, seat_id: int):
    return _seat_button(council_id, seat_id, remove_council_member, _("Đã bỏ thành viên khỏi Hội đồng."))


@bp.post("/councils/<int:council_id>/members/<int:seat_id>/chair")
def set_chair(council_id: int, seat_id: int):
    return _seat_button(council_id, seat_id, set_council_chair, _("Đã chọn Chủ tịch Hội đồng."))
