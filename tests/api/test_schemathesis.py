"""Schemathesis against the OpenAPI document, in-process on the test database: for a producer, an officer, a council
chair and an anonymous caller, no answer is a server error and every answer is one the document describes."""
from __future__ import annotations

import pytest
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ocop_tracker.api.tokens import issue_api_token
from ocop_tracker.documents.models import Document
from ocop_tracker.dossiers.services import open_dossier
from ocop_tracker.extensions import db
from ocop_tracker.products.models import ProductSet
from ocop_tracker.products.services import create_product
from ocop_tracker.registry.models import Certificate

from ..factories import TEA, dossier_in_state, new_dossier

pytestmark = pytest.mark.slow  # Schemathesis: minutes; `make test-quick` leaves it out

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
MAX_EXAMPLES = 20  # per operation and caller: the whole file stays within a couple of minutes on two cores


def known_ids(world) -> dict[str, list]:
    """Dossiers in several states (one of another organisation), their documents, a certificate, and products
    still without a dossier."""
    dossiers = [new_dossier(world), *(dossier_in_state(world, state) for state in
                                      ("district_review", "star_rating", "certified"))]
    tea = db.session.scalar(db.select(ProductSet).filter_by(number=TEA))
    spare = [create_product(actor=world["producer"], name=f"Chè {n}", product_set=tea) for n in range(2)]
    theirs = create_product(actor=world["other_producer"], name="Tinh bột nghệ", product_set=tea)
    dossiers.append(open_dossier(theirs, actor=world["other_producer"]))
    db.session.commit()
    return {
        "dossiers": [dossier.id for dossier in dossiers],
        "products": [dossier.product_id for dossier in dossiers] + [product.id for product in spare],
        "product_sets": list(db.session.scalars(db.select(ProductSet.code))),
        "documents": list(db.session.scalars(db.select(Document.id))),
        "codes": list(db.session.scalars(db.select(Certificate.code))),
        "versions": list(range(1, 8)),
    }


def fuzz_config(ids: dict[str, list]) -> schemathesis.Config:
    """Real ids and versions half of the time, so that requests get past 404 and 409 to the real work."""
    bind = {"path.dossier_id": "dossiers", "path.document_id": "documents", "path.code": "codes",
            "body.product_id": "products", "body.version": "versions",
            "body.product_set": "product_sets"}
    return schemathesis.Config.from_dict({
        "dictionaries": {name: {"values": values} for name, values in ids.items()},
        "parameters": {key: {"dictionary": name, "probability": 0.5} for key, name in bind.items()},
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
        "phases": {"stateful": {"enabled": False}},
        "suppress-health-check": ["all"],
    })


@pytest.fixture()
def api_schema(request, app, world):
    """The document as the running app serves it, tried against the same app and database."""
    # Schemathesis 4.32 renames the test node through `_nodeid`, which pytest 9 no longer has.
    request.node._nodeid = request.node.nodeid
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app, config=fuzz_config(known_ids(world)))


@pytest.fixture(params=["producer", "officer", "chair", "anonymous"])
def caller(request) -> str:
    return request.param


@pytest.fixture()
def caller_headers(app, world, caller):
    """The caller's bearer token; revoking one gets a token of its own, so the next requests keep theirs."""
    user = world.users.get(caller)
    token = issue_api_token(user, actor=user, name="schemathesis")[0] if user else None
    db.session.commit()

    def headers(case) -> dict:
        if user is None:
            return {}
        raw = token
        if case.method == "DELETE":
            raw = issue_api_token(user, actor=user, name="schemathesis, to revoke")[0]
            db.session.commit()
        return {"Authorization": f"Bearer {raw}"}
    return headers


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.usefixtures("caller")
@schema.parametrize()
def test_api_answers_as_documented(case, app, caller_headers):
    case.call_and_validate(session=app.test_client(), headers=caller_headers(case), checks=CHECKS)
