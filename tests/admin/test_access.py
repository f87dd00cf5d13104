"""Only administrators reach the administration: everyone else gets a 404 and changes nothing."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import inspect

from ocop_tracker.accounts.models import AdministrativeUnit, Organisation, SignInSession, User
from ocop_tracker.extensions import db
from ocop_tracker.reviews.models import Council, CouncilMember
from ocop_tracker.rules.models import CalendarDay


def directory_snapshot() -> dict:
    """Every column of every row the administration can change."""
    db.session.expire_all()
    snapshot = {}
    for model in (User, AdministrativeUnit, Organisation, Council, CouncilMember, SignInSession):
        columns = [column.key for column in inspect(model).columns]
        rows = db.session.scalars(db.select(model).order_by(model.id))
        snapshot[model.__tablename__] = [tuple(getattr(row, key) for key in columns) for row in rows]
    return snapshot


def admin_urls(app, world) -> list[tuple[str, str]]:
    """(method, url) for every administration route, its ids filled with real rows."""
    seat = db.session.scalar(db.select(CouncilMember).filter_by(user_id=world["member"].id))
    ids = {"user_id": world["producer"].id, "unit_id": world.district.id, "council_id": seat.council_id,
           "organisation_id": world["producer"].organisation_id, "seat_id": seat.id, "year": 2026, "mail_id": 1,
           "day_id": db.session.scalar(db.select(CalendarDay.id).filter_by(year=2026).limit(1))}
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("admin."):
            url = rule.build({name: ids[name] for name in rule.arguments}, append_unknown=False)[1]
            urls += [(method, url) for method in sorted(rule.methods & {"GET", "POST"})]
    return urls


def hostile_form(world) -> dict:
    """Values that would change something on any administration form, were it accepted."""
    return {"username": "intruder", "new_password": "intruder-pass", "confirm": "intruder-pass", "role": "admin",
            "full_name": "Intruder", "locale": "en", "unit": world.province.id, "organisation": 0,
            "code": "X-1", "name": "Intruder", "level": "district", "parent": world.province.id,
            "kind": "enterprise", "user": world["member"].id}


def test_admin_routes_cover_every_area(app, world):
    paths = {url for _, url in admin_urls(app, world)}
    assert {"/admin/", "/admin/users", "/admin/units", "/admin/organisations", "/admin/councils"} <= paths
    assert len(paths) >= 15


@pytest.mark.parametrize("username", ["producer", "officer", "province_officer", "chair"])
def test_non_admin_gets_404_everywhere_and_changes_nothing(app, world, login_as, username):
    client = login_as(username)
    before = directory_snapshot()
    for method, url in admin_urls(app, world):
        response = client.open(url, method=method, data=hostile_form(world) if method == "POST" else None)
        assert response.status_code == 404, (method, url, response.status_code)
    assert directory_snapshot() == before


def test_anonymous_is_sent_to_sign_in(client, world):
    assert client.get("/admin/users").status_code == 302
    assert client.post("/admin/users/new", data=hostile_form(world)).status_code == 302
    assert db.session.scalar(db.select(User).filter_by(username="intruder")) is None


def test_admin_reaches_every_page(app, world, login_as):
    client = login_as("admin")
    for method, url in admin_urls(app, world):
        if method == "GET":
            assert client.get(url).status_code == 200, url


def test_admin_forms_need_the_csrf_token(app, world, login_as):
    client = login_as("admin")
    app.config["WTF_CSRF_ENABLED"] = True
    target = f"/admin/users/{world['producer'].id}/deactivate"
    assert client.post(target).status_code == 400
    assert db.session.get(User, world["producer"].id).active is True
    page = client.get(f"/admin/users/{world['producer'].id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"', page)
    assert client.post(target, data={"csrf_token": token.group(1) or token.group(2)}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, world["producer"].id).active is False
