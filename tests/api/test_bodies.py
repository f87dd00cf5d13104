"""Request bodies read through their pydantic models (api/bodies.py): one declaration per body, the same as the
pages' event forms, the OpenAPI document generated from it, and the 400s in their order of precedence."""
from __future__ import annotations

import pytest
from wtforms.fields.core import UnboundField

from ocop_tracker.api.bodies import EVENT_BODIES, REQUEST_MODELS, EventRequest
from ocop_tracker.dossiers.forms import EVENT_FORMS
from ocop_tracker.extensions import db

from ..factories import QD26_DAY, dossier_in_state, new_dossier
from .test_contract_journey import Api


@pytest.fixture()
def api(app, world, client) -> Api:
    api = Api(app, client)
    api.sign_in("producer", "province_officer")
    return api


def error(api: Api, who: str, path: str, body: dict, status: int = 400) -> dict:
    return api.json(who, "POST", path, status, json=body)["error"]


def test_an_admits_batch_id_beyond_any_id_is_a_400_not_a_500(api, world, app):
    """It reached the batch query, where SQLite cannot hold the number (OverflowError, a server error)."""
    app.config["TODAY"] = QD26_DAY  # a rule set with evaluation batches
    dossier = dossier_in_state(world, "provincial_review", day=QD26_DAY)
    db.session.commit()
    refused = error(api, "province_officer", f"/dossiers/{dossier.id}/events/admit",
                    {"version": dossier.version, "batch_id": 2**70})
    assert refused["code"] == "invalid_fields"
    assert refused["details"] == {"fields": {"batch_id": "must be an id from 1 to 2147483647"}}
    db.session.expire_all()
    assert dossier.state == "provincial_review"


def _form_fields(form) -> set[str]:
    return {name for name in dir(form) if isinstance(getattr(form, name), UnboundField)}


def _body_fields(model) -> set[str]:
    """The body's fields, an object's fields written as the page writes them (decision.number: decision_number)."""
    names = set()
    for name, field in model.model_fields.items():
        nested = getattr(field.annotation, "__args__", (field.annotation,))[0]
        inner = getattr(nested, "model_fields", None)
        names |= {f"{name}_{part}" for part in inner} if inner else {name}
    return names


@pytest.mark.parametrize("event", sorted(EVENT_FORMS))
def test_each_event_takes_the_fields_of_its_page_form(event):
    assert _body_fields(EVENT_BODIES[event]) == _form_fields(EVENT_FORMS[event])


def test_the_documents_request_schemas_are_generated_from_the_models(client):
    schemas = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    for model in REQUEST_MODELS:
        schema = schemas[model.__name__]
        fields = set(model.model_fields) | set(model.files)
        assert set(schema["properties"]) == fields and schema["additionalProperties"] is False, model.__name__
        required = {name for name, field in model.model_fields.items() if field.is_required()}
        assert set(schema.get("required", ())) == required | set(model.files), model.__name__
    every_event = set().union(*(body.model_fields for body in EVENT_BODIES.values()))
    assert set(EventRequest.model_fields) == every_event
    assert schemas["EventRequest"]["properties"]["received_on"] == {"type": "string", "format": "date"}
    assert schemas["EventRequest"]["properties"]["decision"] == {"$ref": "#/components/schemas/MinistryDecision"}


def test_refusals_come_in_order_unknown_wrong_type_missing_then_values(api, world):
    dossier = new_dossier(world)
    db.session.commit()
    path = f"/dossiers/{dossier.id}/events/return"
    unknown = error(api, "producer", path, {"version": "1", "grounds": "x"})
    assert (unknown["code"], unknown["details"]) == ("unknown_fields", {"fields": ["grounds"]})
    wrong = error(api, "producer", path, {"version": "1", "comment": None, "received_on": "someday"})
    assert wrong["code"] == "invalid_fields" and wrong["message"] == "some fields have the wrong type"
    assert wrong["details"] == {"fields": {"version": "must be an integer", "comment": "must be a string"}}
    missing = error(api, "producer", path, {"received_on": "someday"})
    assert (missing["code"], missing["details"]) == ("missing_fields", {"fields": ["version"]})
    values = error(api, "producer", path, {"version": 1, "comment": "x" * 2001, "received_on": "2026-02-30"})
    assert values["code"] == "invalid_fields" and values["message"] == "some fields have the wrong type or value"
    assert values["details"] == {"fields": {"comment": "must be at most 2000 characters",
                                            "received_on": "must be a date written YYYY-MM-DD"}}


def test_an_optional_field_may_be_left_out_but_not_sent_as_null(api, world):
    dossier = new_dossier(world)
    db.session.commit()
    path = f"/dossiers/{dossier.id}/events/submit"
    refused = error(api, "producer", path, {"version": 1, "declared": None})
    assert refused["details"] == {"fields": {"declared": "must be true or false"}}
    assert api.json("producer", "POST", path, json={"version": 1})["state"] == "district_review"


def test_unstorable_text_in_a_field_that_is_not_text_is_its_type_that_is_wrong(api, world):
    """The NUL check is for text fields; a NUL in a number is first of all not a number."""
    dossier = new_dossier(world)
    db.session.commit()
    path = f"/dossiers/{dossier.id}/events/submit"
    assert error(api, "producer", path, {"version": "1\u0000"})["details"] == {
        "fields": {"version": "must be an integer"}}
    assert error(api, "producer", path, {"version": 1, "comment": "a\u0000"})["details"] == {
        "fields": {"comment": "must not contain NUL or unpaired surrogate characters"}}
