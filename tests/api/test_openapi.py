"""The OpenAPI document: valid OpenAPI 3.1, public, one operation for each route of the API and no other, success
answers that match it; and its page for people, public, in Vietnamese and English."""
from __future__ import annotations

import re
from io import BytesIO

import pytest
import schemathesis
from schemathesis.specs.openapi.definitions import OPENAPI_31_VALIDATOR

from ocop_tracker.extensions import db

from ..factories import DAY0, PASSWORD, PDF, marks_body, new_dossier, score_all

DOC = "/api/v1/openapi.json"
METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH"}


def documented_operations(document: dict) -> set[tuple[str, str]]:
    return {(method.upper(), path) for path, item in document["paths"].items() for method in item}


def routed_operations(app) -> set[tuple[str, str]]:
    """(method, path) of every route of the API blueprint, the path written as OpenAPI writes it."""
    return {(method, re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule.rule))
            for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")
            for method in rule.methods & METHODS}


def test_document_is_valid_openapi_3_1_without_a_token_or_sign_in(client):
    response = client.get(DOC)
    document = response.get_json()
    assert response.status_code == 200 and document["openapi"] == "3.1.0"
    assert not list(OPENAPI_31_VALIDATOR.iter_errors(document))
    assert document["components"]["securitySchemes"]["bearer"] == {
        "type": "http", "scheme": "bearer", "description": "Token from POST /api/v1/auth/token."}


def test_every_route_is_documented_and_every_operation_is_routed(app, client):
    document = client.get(DOC).get_json()
    assert documented_operations(document) == routed_operations(app)
    assert len(routed_operations(app)) >= 16  # the contract's endpoints and the document itself


def test_every_reference_resolves_and_every_schema_is_used(client):
    document = client.get(DOC).get_json()
    text = str(document)
    references = set(re.findall(r"#/components/schemas/(\w+)", text))
    assert references == set(document["components"]["schemas"])


def test_every_token_endpoint_documents_401_and_the_public_ones_need_none(client):
    document = client.get(DOC).get_json()
    public = {(method.upper(), path) for path, item in document["paths"].items()
              for method, operation in item.items() if operation.get("security") == []}
    assert public == {("POST", "/api/v1/auth/token"), ("GET", "/api/v1/registry/{code}"), ("GET", DOC)}
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert ((method.upper(), path) in public or "401" in operation["responses"]), (method, path)
            errors = [status for status in operation["responses"] if status >= "400"]
            assert all(operation["responses"][status]["content"]["application/json"]["schema"]
                       == {"$ref": "#/components/schemas/Error"} for status in errors), (method, path)


def test_contract_error_statuses_are_documented(client):
    paths = client.get(DOC).get_json()["paths"]
    statuses = {key: set(paths[path][method]["responses"]) for key, (method, path) in {
        "event": ("post", "/api/v1/dossiers/{dossier_id}/events/{event}"),
        "upload": ("post", "/api/v1/dossiers/{dossier_id}/documents"),
        "score": ("put", "/api/v1/dossiers/{dossier_id}/scores/me"),
        "token": ("post", "/api/v1/auth/token")}.items()}
    assert {"200", "400", "401", "403", "404", "409", "422"} <= statuses["event"]
    assert {"201", "400", "401", "403", "404", "413", "415", "422"} <= statuses["upload"]
    assert {"200", "403", "404", "409", "422"} <= statuses["score"]
    assert {"201", "400", "401"} <= statuses["token"]


@pytest.fixture()
def checked(app, world, client):
    """checked(who, method, path, status, **request): the answer has this status and matches the document."""
    schema = schemathesis.openapi.from_wsgi(DOC, app)
    tokens = {}

    def call(who: str | None, method: str, path: str, status: int, **kwargs):
        if who and who not in tokens:
            issued = client.post("/api/v1/auth/token", json={"username": who, "password": PASSWORD})
            schema["/api/v1/auth/token"]["POST"].validate_response(issued)
            tokens[who] = issued.get_json()["token"]
        headers = {"Authorization": f"Bearer {tokens[who]}"} if who else {}
        response = client.open(path.format(**kwargs.pop("ids", {})), method=method, headers=headers, **kwargs)
        assert response.status_code == status, response.get_data(as_text=True)
        schema[path][method].validate_response(response)
        return response.get_json() if response.is_json else response
    return call


def test_success_answers_match_the_document(app, world, checked):
    """The answers fuzzing rarely reaches (created, fired, scored, certified) are checked one by one."""
    app.config["TODAY"] = DAY0
    checked("producer", "GET", "/api/v1/me", 200)
    checked("officer", "GET", "/api/v1/summaries/me", 200, query_string={"period": "weekly"})
    checked("producer", "GET", "/api/v1/product-sets", 200)
    product = checked("producer", "POST", "/api/v1/products", 201, json={"name": "Chuối sấy", "product_set": "set-01"})
    banana = checked("producer", "POST", "/api/v1/dossiers", 201, json={"product_id": product["id"]})
    ids = {"dossier_id": banana["id"]}
    document = checked("producer", "POST", "/api/v1/dossiers/{dossier_id}/documents", 201, ids=ids,
                       data={"kind": "label", "file": (BytesIO(PDF), "nhãn.pdf"), "valid_until": "2027-01-01"})
    checked("producer", "GET", "/api/v1/dossiers/{dossier_id}/documents/{document_id}/file", 200,
            ids={**ids, "document_id": document["id"]})
    checked("producer", "PUT", "/api/v1/dossiers/{dossier_id}/vietgap", 200, ids=ids, json={
        "certificate_no": "VG-1", "issuer": "VIETCERT", "issued_on": "2026-01-05", "valid_until": "2029-01-05"})
    tea = new_dossier(world)
    db.session.commit()
    ids = {"dossier_id": tea.id, "event": "submit"}
    checked("producer", "POST", "/api/v1/dossiers/{dossier_id}/events/{event}", 200, ids=ids, json={"version": 1})
    checked("officer", "POST", "/api/v1/dossiers/{dossier_id}/events/{event}", 200, ids={**ids, "event": "forward"},
            json={"version": 2, "received_on": "2026-03-02"})
    checked("province_officer", "POST", "/api/v1/dossiers/{dossier_id}/events/{event}", 200,
            ids={**ids, "event": "admit"}, json={"version": 3})
    checked("chair", "PUT", "/api/v1/dossiers/{dossier_id}/scores/me", 200, ids=ids,
            json=marks_body(tea, {"A": 25, "B": 16, "C": 20}))
    listed = checked("province_officer", "GET", "/api/v1/dossiers", 200, query_string={"state": "star_rating"})
    assert [item["id"] for item in listed["items"]] == [tea.id]
    score_all(world, tea)
    db.session.commit()
    closed = checked("chair", "POST", "/api/v1/dossiers/{dossier_id}/events/{event}", 200,
                     ids={**ids, "event": "close_rating"}, json={"version": 4})
    assert closed["state"] == "awaiting_decision" and closed["star"] == 3
    decision = checked("province_officer", "POST", "/api/v1/decisions", 201, json={
        "number": "12/QĐ-UBND", "signed_on": "2026-03-02", "signer": "Nguyễn Văn A",
        "items": [{"dossier_id": tea.id, "version": 5, "outcome": "recognise"}]})
    checked("province_officer", "GET", "/api/v1/decisions", 200)
    checked("producer", "GET", "/api/v1/decisions/{decision_id}", 200, ids={"decision_id": decision["id"]})
    checked("province_officer", "PUT", "/api/v1/decisions/{decision_id}/file", 200,
            ids={"decision_id": decision["id"]}, data={"file": (BytesIO(PDF), "qd.pdf")})
    checked("province_officer", "GET", "/api/v1/decisions/{decision_id}/file", 200, ids={"decision_id": decision["id"]})
    checked("producer", "GET", "/api/v1/rule-sets", 200)
    certified = checked("producer", "GET", "/api/v1/dossiers/{dossier_id}", 200, ids=ids)
    assert certified["state"] == "certified" and certified["certificate"]["star"] == 3
    entry = checked(None, "GET", "/api/v1/registry/{code}", 200, ids={"code": certified["certificate"]["code"]})
    assert entry["status"] == "valid" and entry["decision"]["number"] == "12/QĐ-UBND"
    checked("producer", "DELETE", "/api/v1/auth/token", 204)


def test_docs_page_is_public_and_shows_every_operation(client):
    document = client.get(DOC).get_json()
    response = client.get("/api/docs")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Tài liệu API" in page
    for path, item in document["paths"].items():
        for method, operation in item.items():
            card = page[page.index(f'id="{operation["operationId"]}"'):]
            assert f'{method.upper()}</span>' in card[:300] and f"<code class=\"text-break-all\">{path}</code>" in card
    for name in document["components"]["schemas"]:
        assert f'id="schema-{name}"' in page
    assert "Công khai, không cần token" in page and "Cần token" in page


def test_docs_page_follows_the_readers_language_and_the_document_stays_english(client):
    client.post("/language", data={"locale": "en", "next": "/api/docs"})
    page = client.get("/api/docs").get_data(as_text=True)
    assert "API documentation" in page and "Public, no token needed" in page and "Tài liệu API" not in page
    summaries = [operation["summary"] for item in client.get(DOC).get_json()["paths"].values()
                 for operation in item.values()]
    assert "Register a new product (producer)" in summaries


def test_docs_page_lists_a_schemas_fields_with_their_types(client):
    page = client.get("/api/docs").get_data(as_text=True)
    schema = page[page.index('id="schema-Document"'):page.index('id="schema-VietGap"')]
    assert "<code>valid_until</code>" in schema and "string (date) | null" in schema
