"""Assigning a dossier to an officer of the unit that must act on it: who may, to whom, logged, let go when the file
moves on; the queue's "assigned to me" and "unassigned" filters and the counts of its tabs."""
from __future__ import annotations

import re
from datetime import date

import pytest

from ocop_tracker.accounts.services import create_user
from ocop_tracker.activity.models import ActivityRecord
from ocop_tracker.dossiers.assignment import assign_dossier
from ocop_tracker.dossiers.queries import queue_counts
from ocop_tracker.extensions import db
from ocop_tracker.workflow import EventNotAllowed, GuardFailed, NotPermitted

from ..factories import PASSWORD, dossier_in_state, fire

COUNTED_ON = date(2026, 3, 20)  # DAY0's first-level check (15 working days) is due soon, LATER's is not
LATER = date(2026, 3, 9)


@pytest.fixture()
def colleague(world):
    """A second officer of the first commune."""
    user = create_user(username="officer2", password=PASSWORD, role="officer", unit=world.commune,
                       full_name="Trần Thị Hoa")
    db.session.commit()
    return user


def assignments(dossier) -> list[dict]:
    return [record.data for record in db.session.scalars(db.select(ActivityRecord).filter_by(
        dossier_id=dossier.id, action="dossier.assign").order_by(ActivityRecord.id))]


def test_an_officer_of_the_checking_commune_assigns_and_reassigns_logged(world, colleague):
    dossier = dossier_in_state(world, "district_review")
    version = dossier.version
    assign_dossier(dossier, actor=world["officer"], assignee=world["officer"])
    assign_dossier(dossier, actor=world["officer"], assignee=colleague)
    assign_dossier(dossier, actor=world["officer"], assignee=colleague)  # the same hands: nothing to log
    assign_dossier(dossier, actor=world["officer"], assignee=None)
    db.session.commit()
    assert dossier.assignee is None and dossier.version == version  # not a change of the dossier itself
    assert assignments(dossier) == [
        {"from": None, "to": "officer", "summary": "Phân công: (chưa phân công) → officer"},
        {"from": "officer", "to": "officer2", "summary": "Phân công: officer → Trần Thị Hoa"},
        {"from": "officer2", "to": None, "summary": "Phân công: Trần Thị Hoa → (chưa phân công)"},
    ]


@pytest.mark.parametrize("state, actor, assignee", [
    ("provincial_review", "province_officer", "province_officer"),
    ("provincial_review", "admin", "province_officer"),
    ("awaiting_decision", "province_officer", "province_officer"),
    ("central_review", "province_officer", "province_officer"),
    ("vietgap", "officer", "officer"),
])
def test_the_unit_that_must_act_now_assigns(world, state, actor, assignee):
    dossier = dossier_in_state(world, state)
    assign_dossier(dossier, actor=world[actor], assignee=world[assignee])
    assert dossier.assignee is world[assignee]


@pytest.mark.parametrize("state, actor, assignee, refusal", [
    ("district_review", "producer", "officer", NotPermitted),
    ("district_review", "chair", "officer", NotPermitted),
    ("district_review", "other_officer", "other_officer", NotPermitted),
    ("district_review", "province_officer", "officer", NotPermitted),  # the commune checks it now
    ("district_review", "admin", "officer", NotPermitted),
    ("provincial_review", "officer", "officer", NotPermitted),
    ("district_review", "officer", "other_officer", GuardFailed),  # another commune's officer
    ("district_review", "officer", "province_officer", GuardFailed),
    ("district_review", "officer", "producer", GuardFailed),
    ("provincial_review", "admin", "admin", GuardFailed),  # administrators assign, officers are assigned
    ("star_rating", "province_officer", "province_officer", EventNotAllowed),  # the council acts
    ("certified", "province_officer", "province_officer", EventNotAllowed),
    ("returned", "officer", "officer", EventNotAllowed),
])
def test_assignment_refusals(world, state, actor, assignee, refusal):
    dossier = dossier_in_state(world, state)
    with pytest.raises(refusal):
        assign_dossier(dossier, actor=world[actor], assignee=world[assignee])
    assert dossier.assignee is None and assignments(dossier) == []


def test_an_inactive_officer_is_not_assigned(world, colleague):
    dossier = dossier_in_state(world, "district_review")
    colleague.active = False
    with pytest.raises(GuardFailed) as refused:
        assign_dossier(dossier, actor=world["officer"], assignee=colleague)
    assert refused.value.missing == ["assignee"]


def test_the_assignee_lets_go_when_the_file_moves_to_another_unit_and_keeps_it_when_returned(world):
    dossier = dossier_in_state(world, "district_review")
    assign_dossier(dossier, actor=world["officer"], assignee=world["officer"])
    fire(world, dossier, "return", "officer", comment="Bổ sung phiếu kiểm nghiệm")
    fire(world, dossier, "resubmit", "producer")
    assert dossier.assignee is world["officer"]  # the resubmission comes back to the same desk
    version = dossier.version
    fire(world, dossier, "forward", "officer")
    db.session.commit()
    assert (dossier.state, dossier.assignee, dossier.version) == ("provincial_review", None, version + 1)


def test_assignment_through_the_dossier_page_is_logged_and_shown(world, colleague, login_as):
    dossier = dossier_in_state(world, "district_review")
    client = login_as("officer")
    page = client.get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    assert f'action="/dossiers/{dossier.id}/assignee"' in page and "Tôi nhận xử lý" in page
    assert client.post(f"/dossiers/{dossier.id}/assignee", data={"take": "1", "assignee": "0"}).status_code == 302
    assert client.post(f"/dossiers/{dossier.id}/assignee", data={"assignee": str(colleague.id)}).status_code == 302
    page = client.get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    assert re.search(r'id="assignee-name">\s*Trần Thị Hoa', page)
    activity = page[page.index('id="activity"'):]
    assert activity.count('data-action="dossier.assign"') == 2
    assert activity.index("Phân công: officer → Trần Thị Hoa") < activity.index(
        "Phân công: (chưa phân công) → officer")  # newest first
    queue = client.get("/").get_data(as_text=True)
    assert f'data-assignee="{colleague.id}"' in queue


def test_assignment_page_refusals(world, login_as):
    dossier = dossier_in_state(world, "district_review")
    foreign = world["other_officer"].id
    officer = login_as("officer")
    response = officer.post(f"/dossiers/{dossier.id}/assignee", data={"assignee": str(foreign)},
                            follow_redirects=True)
    assert "không thuộc đơn vị đang xử lý" in response.get_data(as_text=True)
    assert db.session.get(type(dossier), dossier.id).assignee_id is None
    producer_page = login_as("producer").get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    assert "/assignee" not in producer_page
    assert login_as("producer").post(f"/dossiers/{dossier.id}/assignee", data={"take": "1"}).status_code == 403
    assert login_as("province_officer").post(f"/dossiers/{dossier.id}/assignee",
                                             data={"take": "1"}).status_code == 403
    assert login_as("other_officer").post(f"/dossiers/{dossier.id}/assignee", data={"take": "1"}).status_code == 404


@pytest.fixture()
def desk(world, colleague):
    """Four dossiers waiting for the commune: one assigned to `officer`, one to its colleague, two to nobody."""
    mine = dossier_in_state(world, "district_review")
    theirs = dossier_in_state(world, "district_review")
    loose = dossier_in_state(world, "district_review", day=LATER)
    also_loose = dossier_in_state(world, "vietgap")
    dossier_in_state(world, "provincial_review")  # visible, but the province's to act on
    assign_dossier(mine, actor=world["officer"], assignee=world["officer"])
    assign_dossier(theirs, actor=world["officer"], assignee=colleague)
    db.session.commit()
    return {"mine": mine, "theirs": theirs, "loose": loose, "also_loose": also_loose}


def _ids(client, query: str) -> set[int]:
    page = client.get(f"/?{query}")
    assert page.status_code == 200
    return {int(found) for found in re.findall(r'data-dossier="(\d+)"', page.get_data(as_text=True))}


def test_assigned_to_me_and_unassigned_filters(app, world, desk, login_as):
    app.config["TODAY"] = COUNTED_ON
    client = login_as("officer")
    assert _ids(client, "due=awaiting&assignee=me") == {desk["mine"].id}
    assert _ids(client, "due=awaiting&assignee=none") == {desk["loose"].id, desk["also_loose"].id}
    assert _ids(client, f"assignee={desk['theirs'].assignee_id}") == {desk["theirs"].id}
    assert len(_ids(client, "assignee=none")) == 3  # the provincial one too, outside the awaiting tab


def test_queue_counts_match_what_each_tab_lists(app, world, desk, login_as):
    app.config["TODAY"] = COUNTED_ON
    counts = queue_counts(world["officer"], COUNTED_ON)
    assert (counts["awaiting"], counts["mine"], counts["unassigned"]) == (4, 1, 2)
    assert counts["due_soon"] == 3 and counts["overdue"] == 0
    client = login_as("officer")
    page = client.get("/").get_data(as_text=True)
    links = dict(re.findall(r'data-tab="(\w*)"\s+href="([^"]+)"', page))
    shown = dict(re.findall(r'data-count="(\w+)">(\d+)<', page))
    for tab, count in counts.items():
        assert int(shown[tab]) == count == len(_ids(client, links[tab].split("?", 1)[1].replace("&amp;", "&")))
    assert 'data-tab="mine"' not in login_as("producer").get("/").get_data(as_text=True)
