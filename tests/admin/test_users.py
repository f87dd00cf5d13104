"""Administrators manage users: create with the right binding, edit, reset passwords, deactivate."""
from __future__ import annotations

import pytest

from ocop_tracker.accounts.models import User
from ocop_tracker.extensions import db
from ocop_tracker.reviews.models import Council, CouncilMember
from ocop_tracker.workflow import NotPermitted

from ..factories import PASSWORD, QD26_DAY, dossier_in_state, score_marks

NEW_PASSWORD = "mat-khau-moi-1"


def user_named(username: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(db.select(User).filter_by(username=username))


def new_user_form(**values) -> dict:
    form = {"username": "htx.moi", "full_name": "Nguyễn Thị Hoà", "email": "hoa@htx.vn", "role": "producer",
            "organisation": 0, "unit": 0, "locale": "vi", "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    return form | values


def test_admin_creates_producer_who_can_sign_in(world, login_as, app):
    coop = world["producer"].organisation
    response = login_as("admin").post("/admin/users/new", data=new_user_form(organisation=coop.id))
    assert response.status_code == 302
    created = user_named("htx.moi")
    assert (created.role, created.organisation_id, created.full_name) == ("producer", coop.id, "Nguyễn Thị Hoà")
    fresh = app.test_client()
    assert fresh.post("/login", data={"username": "htx.moi", "password": NEW_PASSWORD}).status_code == 302
    assert fresh.get("/").status_code == 200


def test_duplicate_username_refused_with_message(world, login_as):
    count = db.session.scalar(db.select(db.func.count()).select_from(User))
    response = login_as("admin").post("/admin/users/new", data=new_user_form(
        username="producer", organisation=world["producer"].organisation_id))
    assert response.status_code == 422
    assert "Tên đăng nhập producer đã có người dùng." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == count


def test_producer_without_organisation_refused(world, login_as):
    response = login_as("admin").post("/admin/users/new", data=new_user_form())
    assert "Chủ thể sản xuất phải thuộc một tổ chức." in response.get_data(as_text=True)
    assert user_named("htx.moi") is None


def test_officer_binding_keeps_only_the_unit(world, login_as):
    login_as("admin").post("/admin/users/new", data=new_user_form(
        role="officer", unit=world.district.id, organisation=world["producer"].organisation_id))
    created = user_named("htx.moi")
    assert (created.role, created.unit_id, created.organisation_id) == ("officer", world.district.id, None)


def test_council_member_may_work_for_an_organisation_and_then_cannot_score_its_products(world, login_as):
    login_as("admin").post("/admin/users/new", data=new_user_form(
        role="council_member", unit=world.district.id, organisation=world["producer"].organisation_id))
    member = user_named("htx.moi")
    assert (member.role, member.unit_id, member.organisation_id) == (
        "council_member", None, world["producer"].organisation_id)
    council = db.session.scalar(db.select(Council).filter_by(unit_id=world.province.id))
    db.session.add(CouncilMember(council=council, user=member))
    dossier = dossier_in_state(world, "star_rating", day=QD26_DAY)
    with pytest.raises(NotPermitted):
        score_marks(dossier, actor=member, parts={"A": 30, "B": 20, "C": 20})


def test_edit_moves_a_user_to_another_role(world, login_as):
    officer = world["officer"]
    response = login_as("admin").post(f"/admin/users/{officer.id}", data={
        "full_name": "Trần Văn Bình", "email": "", "role": "officer", "unit": world.other_district.id,
        "organisation": 0, "locale": "en"})
    assert response.status_code == 302
    edited = user_named("officer")
    assert (edited.full_name, edited.unit_id, edited.locale, edited.email) == (
        "Trần Văn Bình", world.other_district.id, "en", None)


def test_deactivated_user_loses_access(world, login_as, browser):
    producer_browser = browser("producer")
    assert producer_browser.get("/").status_code == 200
    response = login_as("admin").post(f"/admin/users/{world['producer'].id}/deactivate")
    assert response.status_code == 302 and user_named("producer").active is False
    refused = producer_browser.get("/")
    assert refused.status_code == 302 and refused.location.startswith("/login")
    assert producer_browser.post("/login", data={"username": "producer", "password": PASSWORD}).status_code == 200


def test_reactivated_user_signs_in_again_but_old_browsers_stay_out(world, login_as, browser, app):
    producer_browser = browser("producer")
    admin = login_as("admin")
    admin.post(f"/admin/users/{world['producer'].id}/deactivate")
    admin.post(f"/admin/users/{world['producer'].id}/reactivate")
    assert user_named("producer").active is True
    assert producer_browser.get("/").status_code == 302  # deactivation revoked that sign-in for good
    assert app.test_client().post("/login", data={"username": "producer", "password": PASSWORD}).status_code == 302


def test_reset_password_signs_the_user_out(world, login_as, browser, app):
    producer_browser = browser("producer")
    login_as("admin").post(f"/admin/users/{world['producer'].id}/password",
                           data={"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert producer_browser.get("/").status_code == 302
    assert user_named("producer").check_password(NEW_PASSWORD)


def test_admin_cannot_deactivate_themselves(world, login_as):
    client = login_as("admin")
    response = client.post(f"/admin/users/{world['admin'].id}/deactivate", follow_redirects=True)
    assert "chính mình" in response.get_data(as_text=True)
    assert user_named("admin").active is True and client.get("/admin/").status_code == 200


def test_user_list_filters_by_role_and_name(world, login_as):
    body = login_as("admin").get("/admin/users?role=council_member&q=district_").get_data(as_text=True)
    assert 'data-user="district_chair"' in body
    assert 'data-user="chair"' not in body and 'data-user="district_officer"' not in body
