"""Where the activity log is read: the administrators' log page (filters, pages, newest first), each directory
object's own page, and the dossier page, which names every action in words."""
from __future__ import annotations

import re
from datetime import date

import pytest

from ocop_tracker.accounts.services import edit_user
from ocop_tracker.activity.services import log_action
from ocop_tracker.admin.services import add_council_member, create_council, save_organisation, save_unit
from ocop_tracker.deadlines.models import Deadline
from ocop_tracker.deadlines.services import extend_deadline
from ocop_tracker.documents.services import current_documents, record_document_check
from ocop_tracker.extensions import db
from ocop_tracker.labels import ACTIVITY_LABELS

from ..factories import DAY0, dossier_in_state, self_assess


@pytest.fixture()
def app_config() -> dict:
    return {"ADMIN_PER_PAGE": 3}


def _actions(page: str) -> list[str]:
    return re.findall(r'data-action="([^"]+)"', page[page.index('id="activity-log"'):])


def _some_activity(world) -> None:
    """Five entries, oldest first: two by the officer, three by the administrator."""
    log_action("documents.check", actor=world["officer"])
    log_action("deadlines.extend", actor=world["officer"])
    log_action("admin.user.update", actor=world["admin"], obj=world["officer"])
    log_action("admin.users_import", actor=world["admin"])  # shares "admin.user" as text, not as a prefix
    log_action("admin.unit.create", actor=world["admin"], obj=world.commune)
    db.session.commit()


@pytest.mark.parametrize("username", ["producer", "officer", "province_officer", "chair"])
def test_only_administrators_read_the_log(world, login_as, username):
    _some_activity(world)
    assert login_as(username).get("/admin/activity").status_code == 404


def test_anonymous_is_sent_to_sign_in(client, world):
    assert client.get("/admin/activity").status_code == 302


def test_the_log_is_newest_first_in_pages(world, login_as):
    _some_activity(world)
    client = login_as("admin")
    first = client.get("/admin/activity").get_data(as_text=True)
    assert _actions(first) == ["admin.unit.create", "admin.users_import", "admin.user.update"]
    assert "5 thao tác" in first and "Sửa tài khoản" in first
    assert _actions(client.get("/admin/activity?page=2").get_data(as_text=True)) == ["deadlines.extend",
                                                                                     "documents.check"]


@pytest.mark.parametrize(("query", "expected"), [
    ("action=admin", ["admin.unit.create", "admin.users_import", "admin.user.update"]),
    ("action=admin.user", ["admin.user.update"]),
    ("action=deadlines", ["deadlines.extend"]),
    ("actor=officer", ["deadlines.extend", "documents.check"]),
    ("action=admin&actor=officer", []),
    ("actor=nobody", []),
    ("action=no.such.group", ["admin.unit.create", "admin.users_import", "admin.user.update"]),  # ignored
])
def test_the_log_filters_by_action_group_and_actor(world, login_as, query, expected):
    _some_activity(world)
    assert _actions(login_as("admin").get(f"/admin/activity?{query}").get_data(as_text=True)) == expected


def test_the_log_is_linked_from_the_administration(world, login_as):
    assert 'href="/admin/activity"' in login_as("admin").get("/admin/").get_data(as_text=True)


def test_each_directory_page_lists_its_own_recent_changes(world, login_as):
    admin = world["admin"]
    edit_user(world["officer"], actor=admin, full_name="Lê Văn Cán", email=None, role="officer",
              organisation=None, unit=world.commune, locale="vi")
    save_unit(world.commune, actor=admin, code=world.commune.code, name="Liên Sơn mới", level="commune",
              parent=world.district)
    organisation = world["producer"].organisation
    save_organisation(organisation, actor=admin, name="HTX Chuối Viba Mới", kind="cooperative",
                      unit=organisation.unit)
    council = create_council(world.commune, actor=admin, name="Hội đồng xã")
    add_council_member(council, world["member"], actor=admin)
    db.session.commit()
    client = login_as("admin")
    pages = {f"/admin/users/{world['officer'].id}": (["admin.user.update"], "full_name: — → Lê Văn Cán"),
             f"/admin/units/{world.commune.id}": (["admin.unit.update"], "name: Liên Sơn → Liên Sơn mới"),
             f"/admin/organisations/{organisation.id}": (["admin.organisation.update"], "HTX Chuối Viba Mới"),
             f"/admin/councils/{council.id}": (["admin.council.add_member", "admin.council.create"], "member")}
    for url, (actions, detail) in pages.items():
        page = client.get(url).get_data(as_text=True)
        recent = page[page.index('id="recent-activity"'):]
        assert re.findall(r'data-action="([^"]+)"', recent) == actions, url
        assert detail in recent, url
    page = client.get(f"/admin/users/{world['producer'].id}").get_data(as_text=True)
    assert "Chưa có hoạt động nào." in page[page.index('id="recent-activity"'):]


def test_the_dossier_page_names_each_action_in_words(app, world, login_as):
    dossier = dossier_in_state(world, "district_review")  # uploads
    record_document_check(current_documents(dossier)["registration_form"], actor=world["officer"],
                          outcome="accepted")
    deadline = db.session.scalar(db.select(Deadline).filter_by(dossier_id=dossier.id))
    extend_deadline(deadline, actor=world["officer"], new_due_on=date(2026, 4, 3), reason="Chờ kiểm nghiệm",
                    today=DAY0)
    db.session.commit()
    draft = dossier_in_state(world, "draft")
    self_assess(draft, actor=world["producer"], parts={"A": 30, "B": 20, "C": 25})
    db.session.commit()
    client = login_as("officer")
    for shown, actions in ((dossier, {"documents.upload", "documents.check", "deadlines.extend"}),
                           (draft, {"documents.upload", "reviews.self_assessment"})):
        page = login_as("producer").get(f"/dossiers/{shown.id}").get_data(as_text=True) if shown is draft \
            else client.get(f"/dossiers/{shown.id}").get_data(as_text=True)
        activity = page[page.index('id="activity"'):]
        assert set(re.findall(r'data-action="([^"]+)"', activity)) == actions
        with app.test_request_context():  # the labels are lazy: said in the request's language
            assert all(str(ACTIVITY_LABELS[action]) in activity for action in actions)
        assert not re.search(r"<strong>[a-z_]+\.[a-z_.]+</strong>", activity)  # no bare action name
