"""The work queue through the API: `GET /dossiers?q=&assignee=&sort=`, `PUT /dossiers/{id}/assignee` and the
`assignee` of the dossier JSON, as the OpenAPI document describes them; bad values are 400s, others' files 403/404."""
from __future__ import annotations

from datetime import date

import pytest
import schemathesis

from ocop_tracker.activity.models import ActivityRecord
from ocop_tracker.extensions import db
from ocop_tracker.registry.services import current_certificate

from ..factories import PASSWORD, dossier_in_state, new_dossier

LATER = date(2026, 3, 9)


@pytest.fixture()
def api(app, world, client):
    """api(who, method, path, status, **request): the JSON answer, checked against the OpenAPI document."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    tokens = {}

    def call(who: str, method: str, path: str, status: int = 200, *, template: str | None = None, **kwargs):
        if who not in tokens:
            issued = client.post("/api/v1/auth/token", json={"username": who, "password": PASSWORD})
            tokens[who] = issued.get_json()["token"]
        response = client.open(f"/api/v1{path}", method=method, headers={"Authorization": f"Bearer {tokens[who]}"},
                               **kwargs)
        assert response.status_code == status, response.get_data(as_text=True)
        schema[f"/api/v1{template or path}"][method].validate_response(response)
        return response.get_json()
    return call


def ids(body: dict) -> list[int]:
    return [item["id"] for item in body["items"]]


def assign(api, who: str, dossier, assignee_id, status: int = 200, **kwargs):
    return api(who, "PUT", f"/dossiers/{dossier.id}/assignee", status, template="/dossiers/{dossier_id}/assignee",
               json={"assignee_id": assignee_id}, **kwargs)


def test_search_by_product_producer_and_codes(world, api):
    tea = dossier_in_state(world, "district_review")
    banana = new_dossier(world, documents=False, name="Chuối sấy dẻo")
    certified = dossier_in_state(world, "certified")
    code = current_certificate(certified).code
    db.session.commit()
    assert ids(api("admin", "GET", "/dossiers", query_string={"q": "chuoi say"})) == [banana.id]
    assert ids(api("admin", "GET", "/dossiers", query_string={"q": "CHÈ Mỹ TÂN", "sort": "received"})) == [
        tea.id, certified.id]
    assert len(ids(api("admin", "GET", "/dossiers", query_string={"q": "htx chuoi viba"}))) == 3
    assert ids(api("admin", "GET", "/dossiers", query_string={"q": f"#{tea.id}"})) == [tea.id]
    assert ids(api("admin", "GET", "/dossiers", query_string={"q": code})) == [certified.id]
    assert ids(api("producer", "GET", "/dossiers", query_string={"q": "nhung van"})) == []


def test_sort_by_due_and_received(world, api):
    later = dossier_in_state(world, "district_review", day=LATER)
    earlier = dossier_in_state(world, "district_review")
    for sort in ("due", "received"):
        assert ids(api("officer", "GET", "/dossiers", query_string={"sort": sort})) == [earlier.id, later.id]
    assert ids(api("officer", "GET", "/dossiers", query_string={"sort": "updated"})) == [earlier.id, later.id]
    assert ids(api("officer", "GET", "/dossiers")) == [earlier.id, later.id]  # the last changed first


def test_assign_through_the_api_and_filter_by_assignee(world, api):
    mine = dossier_in_state(world, "district_review")
    loose = dossier_in_state(world, "district_review")
    body = assign(api, "officer", mine, world["officer"].id)
    assert body["assignee"] == {"id": world["officer"].id, "username": "officer", "full_name": ""}
    assert body["version"] == mine.version and body["state"] == "district_review"
    assert ids(api("officer", "GET", "/dossiers", query_string={"assignee": "me"})) == [mine.id]
    assert ids(api("officer", "GET", "/dossiers", query_string={"assignee": "none"})) == [loose.id]
    assert ids(api("officer", "GET", "/dossiers",
                   query_string={"assignee": str(world["officer"].id)})) == [mine.id]
    listed = api("officer", "GET", "/dossiers")["items"]
    assert {item["id"]: item["assignee"] and item["assignee"]["username"] for item in listed} == {
        mine.id: "officer", loose.id: None}
    assert api("producer", "GET", f"/dossiers/{mine.id}", template="/dossiers/{dossier_id}")["assignee"][
        "username"] == "officer"
    assert assign(api, "officer", mine, None)["assignee"] is None
    logged = db.session.scalars(db.select(ActivityRecord.data).order_by(ActivityRecord.id)
                                .filter_by(dossier_id=mine.id, action="dossier.assign")).all()
    assert [(data["from"], data["to"]) for data in logged] == [(None, "officer"), ("officer", None)]


def test_the_province_assigns_once_the_file_reaches_it(world, api):
    dossier = dossier_in_state(world, "provincial_review")
    assert assign(api, "province_officer", dossier, world["province_officer"].id)["assignee"]["username"] == (
        "province_officer")
    assert assign(api, "admin", dossier, world["province_officer"].id)["assignee"]["id"] == (
        world["province_officer"].id)


@pytest.mark.parametrize("query", [
    {"sort": "due_on"}, {"sort": "DUE"}, {"assignee": "someone"}, {"assignee": "0"}, {"assignee": "-3"},
    {"assignee": "99999999999"}, {"assignee": "1.5"}, {"q": "x" * 201}, {"q": "chè\x00"}, {"q": "a\x1fb"},
])
def test_bad_list_parameters_are_400(world, api, query):
    body = api("officer", "GET", "/dossiers", 400, query_string=query)
    assert body["error"]["code"] == "invalid_parameter" and set(body["error"]["details"]) & set(query)


@pytest.mark.parametrize("payload", [
    {}, {"assignee_id": "5"}, {"assignee_id": 0}, {"assignee_id": -1}, {"assignee_id": 2**31}, {"assignee_id": True},
    {"assignee_id": 1.5}, {"assignee_id": None, "note": "x"}, {"assignee": 1}, [1],
])
def test_bad_assignee_bodies_are_400(world, api, payload):
    dossier = dossier_in_state(world, "district_review")
    api("officer", "PUT", f"/dossiers/{dossier.id}/assignee", 400, template="/dossiers/{dossier_id}/assignee",
        json=payload)
    api("officer", "PUT", f"/dossiers/{dossier.id}/assignee", 400, template="/dossiers/{dossier_id}/assignee",
        data="{nope", content_type="application/json")


@pytest.mark.parametrize("state, who, assignee, status, code", [
    ("district_review", "producer", "officer", 403, "forbidden"),
    ("district_review", "chair", "officer", 404, "dossier_not_found"),  # not the council's file yet
    ("district_review", "province_officer", "province_officer", 403, "forbidden"),
    ("district_review", "other_officer", "other_officer", 404, "dossier_not_found"),
    ("district_review", "officer", "other_officer", 422, "guard_failed"),
    ("district_review", "officer", "province_officer", 422, "guard_failed"),
    ("district_review", "officer", "nobody", 422, "guard_failed"),
    ("provincial_review", "admin", "admin", 422, "guard_failed"),
    ("certified", "province_officer", "province_officer", 409, "event_not_allowed"),
    ("star_rating", "province_officer", "province_officer", 409, "event_not_allowed"),
])
def test_assignment_refusals(world, api, state, who, assignee, status, code):
    dossier = dossier_in_state(world, state)
    assignee_id = 999_999 if assignee == "nobody" else world[assignee].id
    body = assign(api, who, dossier, assignee_id, status)
    assert body["error"]["code"] == code
    if status == 422:
        assert body["error"]["details"] == {"missing": ["assignee"]}
    db.session.expire_all()
    assert dossier.assignee_id is None


def test_an_absent_dossier_is_404(world, api):
    body = api("officer", "PUT", "/dossiers/999999/assignee", 404, template="/dossiers/{dossier_id}/assignee",
               json={"assignee_id": None})
    assert body["error"]["code"] == "dossier_not_found"
