"""Councils: one per unit, members with the council-member role, and exactly one chair."""
from __future__ import annotations

from ocop_tracker.accounts.models import User
from ocop_tracker.accounts.services import create_user
from ocop_tracker.extensions import db
from ocop_tracker.reviews.models import Council, CouncilMember

from ..factories import PASSWORD


def seats(council_id: int) -> dict[str, bool]:
    """username → is_chair for the council's members."""
    db.session.expire_all()
    rows = db.session.scalars(db.select(CouncilMember).filter_by(council_id=council_id))
    return {seat.user.username: seat.is_chair for seat in rows}


def seat_of(username: str, world) -> CouncilMember:
    return db.session.scalar(db.select(CouncilMember).filter_by(user_id=world[username].id))


def test_setting_a_chair_leaves_exactly_one(world, login_as):
    seat = seat_of("member", world)
    response = login_as("admin").post(f"/admin/councils/{seat.council_id}/members/{seat.id}/chair")
    assert response.status_code == 302
    assert seats(seat.council_id) == {"chair": False, "member": True, "member3": False}


def test_chair_cannot_leave_while_others_remain(world, login_as):
    seat = seat_of("chair", world)
    response = login_as("admin").post(f"/admin/councils/{seat.council_id}/members/{seat.id}/remove",
                                      follow_redirects=True)
    assert "Hãy chọn Chủ tịch khác" in response.get_data(as_text=True)
    assert seats(seat.council_id)["chair"] is True


def test_member_is_removed(world, login_as):
    seat = seat_of("member3", world)
    council_id = seat.council_id
    login_as("admin").post(f"/admin/councils/{council_id}/members/{seat.id}/remove")
    assert seats(council_id) == {"chair": True, "member": False}


def test_new_council_gets_its_first_member_as_chair(world, login_as):
    create_user(username="expert", password=PASSWORD, role="council_member", full_name="Chuyên gia")
    client = login_as("admin")
    response = client.post("/admin/councils/new", data={"unit": world.other_district.id, "name": "Hội đồng huyện"})
    council = db.session.scalar(db.select(Council).filter_by(unit_id=world.other_district.id))
    assert response.location == f"/admin/councils/{council.id}"
    for username in ("expert", "member"):
        user_id = db.session.scalar(db.select(User.id).filter_by(username=username))
        assert client.post(f"/admin/councils/{council.id}/members", data={"user": user_id}).status_code == 302
    assert seats(council.id) == {"expert": True, "member": False}


def test_second_council_for_a_unit_refused(world, login_as):
    response = login_as("admin").post("/admin/councils/new", data={"unit": world.district.id, "name": "Hội đồng 2"})
    assert response.status_code == 422
    assert db.session.scalar(db.select(db.func.count()).select_from(Council).filter_by(unit_id=world.district.id)) == 1


def test_only_council_members_can_be_seated(world, login_as):
    council_id = seat_of("chair", world).council_id
    response = login_as("admin").post(f"/admin/councils/{council_id}/members", data={"user": world["producer"].id})
    assert response.status_code == 422
    assert "producer" not in seats(council_id)


def test_seat_of_another_council_is_404(world, login_as):
    own_council = seat_of("chair", world).council_id
    other_seat = seat_of("district_member", world)
    other_council, other_seat_id = other_seat.council_id, other_seat.id
    response = login_as("admin").post(f"/admin/councils/{own_council}/members/{other_seat_id}/chair")
    assert response.status_code == 404
    assert seats(other_council) == {"district_chair": True, "district_member": False, "district_member3": False}
