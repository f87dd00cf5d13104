"""Numbers and dates out of range in the address: an empty page, a clear refusal or a 404 — never a 500 (issue 11.7)."""
from __future__ import annotations

import pytest
from werkzeug.routing import IntegerConverter

from ocop_tracker.api.tokens import issue_api_token
from ocop_tracker.decisions.models import RecognitionDecision
from ocop_tracker.extensions import db
from ocop_tracker.query_args import MAX_ID, MAX_PAGE, id_arg, page_arg

from ..factories import dossier_in_state
from .surface import ROLES, build_surface, fetch, is_api, rules, web_clients

NUMBERS = ("99999999999999999999999", str(10**18), str(2**63), "-1", "0", "abc")
DAYS = ("0001-01-01", "9999-12-31", "1899-12-31", "2024-02-30")
ID_ARGS = ("unit", "product_set", "star", "assignee", "dossier", "batch", "pick", "parent", "year")
FROM_ARGS, TO_ARGS = ("date_from", "received_from"), ("date_to", "received_to")
# Text filters: a NUL is refused by PostgreSQL's text type, a control character by the mail headers, and a very
# long value by nothing but our own limits.
TEXT_ARGS = ("q", "state", "due", "sort", "assignee", "period", "kind", "level", "role", "code", "next")
TEXTS = ("a\x00b", "\r\nBcc: x@example.com", "ạ" * 5000)
OUT_OF_RANGE_IDS = (2**31, 10**20, 10**400)
# GET pages no role opens on a certified dossier with no decision file, and static files (no query at all).
NOT_WALKED = {"static", "bootstrap.static", "accounts.reset_password", "api.decision_file", "decisions.download_file",
              "documents.review", "dossiers.product", "dossiers.self_assessment"}
NOT_WALKED |= {"moved.batches_new", "moved.decisions_new", "moved.dossiers_new"}  # 308 to walked pages (moved.py)
NOT_WALKED |= {"api.product_set_sheet"}  # its <code> is a product set's, the surface's a certificate's: 404 here


def _extreme_queries() -> list[dict[str, str]]:
    """Page and per-page alone (the API refuses one before reading the other), every id-like filter at once
    (a select refuses each alike), and each end of a period alone and both together."""
    queries = []
    for number in NUMBERS:
        queries += [{"page": number}, {"per_page": number}, dict.fromkeys(ID_ARGS, number)]
    for day in DAYS:
        queries += [dict.fromkeys(FROM_ARGS, day), dict.fromkeys(TO_ARGS, day)]
    queries += [dict.fromkeys(TEXT_ARGS, text) for text in TEXTS]
    queries.append(dict.fromkeys(FROM_ARGS, DAYS[0]) | dict.fromkeys(TO_ARGS, DAYS[1]))
    return queries


def _everything_at_once() -> list[dict[str, str]]:
    """For the page of one object, which lists nothing: every argument extreme in one request."""
    numbers = ("page", "per_page", *ID_ARGS)
    return [dict.fromkeys(numbers, NUMBERS[0]) | dict.fromkeys(FROM_ARGS, DAYS[0]) | dict.fromkeys(TO_ARGS, DAYS[1]),
            dict.fromkeys(numbers, "-1") | dict.fromkeys(FROM_ARGS + TO_ARGS, DAYS[-1])]


def _is_listing(rule) -> bool:
    """No record id in the address: a list, a dashboard or an export of many rows."""
    return not any(isinstance(converter, IntegerConverter) for converter in rule._converters.values())


def _outcome(client, path, query, headers) -> int | str:
    try:
        return fetch(client, "GET", path, query_string=query, headers=headers).status_code
    except Exception as error:  # noqa: BLE001  the test app lets a crash through: record it with the others
        return repr(error)[:120]


def test_every_listing_answers_extreme_pages_ids_and_dates_without_a_500(app, world, browser):
    surface = build_surface(world)
    clients = web_clients(app, browser)
    failures, walked = [], set()
    for rule in rules(app, "GET"):
        path = surface.path(rule)
        if path is None or rule.endpoint in ("static", "bootstrap.static"):
            continue
        for role in ROLES:
            client = clients[None if is_api(rule) else role]
            headers = surface.api_headers(role) if is_api(rule) else {}
            if fetch(client, "GET", path, headers=headers).status_code != 200:
                continue  # a listing is walked as each role that can see it, one object's page as the first
            walked.add(rule.endpoint)
            for query in _extreme_queries() if _is_listing(rule) else _everything_at_once():
                status = _outcome(client, path, query, headers)
                if not isinstance(status, int) or status >= 500:
                    failures.append((path, role, query, status))
            if not _is_listing(rule):
                break
    assert not failures, "\n".join(map(str, failures))
    assert {rule.endpoint for rule in rules(app, "GET")} - walked == NOT_WALKED  # a new page is walked too


@pytest.mark.parametrize("path, who", [("/", "producer"), ("/admin/users", "admin"), ("/decisions", "province_officer"),
                                       ("/registry", None)])
@pytest.mark.parametrize("page", ["99999999999999999999999", str(10**18)])
def test_a_page_far_past_the_end_is_an_empty_page(app, world, browser, path, who, page):
    build_surface(world)
    client = browser(who) if who else app.test_client()
    response = fetch(client, "GET", path, query_string={"page": page})
    assert response.status_code == 200


@pytest.mark.parametrize("query", [{"date_from": "0001-01-01"}, {"date_to": "9999-12-31"},
                                   {"date_from": "0001-01-01", "date_to": "9999-12-31"}])
def test_report_dates_outside_the_calendar_are_refused_with_a_message(world, login_as, query):
    response = login_as("province_officer").get("/reports", query_string=query)
    assert response.status_code == 200
    assert "Ngày phải trong khoảng từ 01/01/1900 đến 31/12/2200." in response.get_data(as_text=True)


def test_queue_receipt_dates_outside_the_calendar_are_refused_with_a_message(world, login_as):
    response = login_as("officer").get("/", query_string={"received_from": "0001-01-01"})
    assert "Ngày phải trong khoảng từ 01/01/1900 đến 31/12/2200." in response.get_data(as_text=True)


def test_every_int_in_a_path_beyond_any_id_is_not_found(app, world, browser):
    surface = build_surface(world)
    client = browser("admin")
    failures = []
    for rule in rules(app):
        numbers = [name for name, converter in rule._converters.items() if isinstance(converter, IntegerConverter)]
        for name in numbers:
            for huge in OUT_OF_RANGE_IDS:
                path = surface.path(rule, **{name: huge})
                for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                    headers = surface.api_headers("admin") if is_api(rule) else {}
                    try:
                        status = fetch(client, method, path, headers=headers).status_code
                    except Exception as error:  # noqa: BLE001  a crash is recorded as this address's outcome
                        status = repr(error)[:120]
                    # Werkzeug names the other method of the same address (405) before it tries the number.
                    if status not in (404, 405):
                        failures.append((method, path[:80], status))
    assert not failures, "\n".join(map(str, failures))


@pytest.mark.parametrize("raw, page", [(None, 1), ("3", 3), ("0", 1), ("-2", 1), ("abc", 1), ("٣", 1), ("1e3", 1),
                                       (str(MAX_PAGE), MAX_PAGE), (str(MAX_PAGE + 1), MAX_PAGE),
                                       ("9" * 5000, MAX_PAGE), ("0000002", 2)])
def test_page_arg_is_a_page_from_1_to_the_cap(app, raw, page):
    with app.test_request_context(query_string={} if raw is None else {"page": raw}):
        assert page_arg() == page


@pytest.mark.parametrize("raw, ident", [(None, None), ("12", 12), ("0", None), ("-1", None), (str(MAX_ID), MAX_ID),
                                        (str(MAX_ID + 1), None), ("9" * 5000, None), ("x", None)])
def test_id_arg_is_an_id_or_nothing(app, raw, ident):
    with app.test_request_context(query_string={} if raw is None else {"batch": raw}):
        assert id_arg("batch") == ident


def test_an_api_date_outside_the_calendar_is_a_400_and_records_nothing(app, world, client):
    dossier = dossier_in_state(world, "awaiting_decision")
    raw, _token = issue_api_token(world["province_officer"], actor=world["province_officer"])
    db.session.commit()
    response = client.post("/api/v1/decisions", headers={"Authorization": f"Bearer {raw}"}, json={
        "number": "1/QĐ-UBND", "signed_on": "0001-01-01", "signer": "Nguyễn Văn A",
        "items": [{"dossier_id": dossier.id, "version": dossier.version, "outcome": "recognise"}]})
    assert response.status_code == 400
    assert response.get_json()["error"]["details"]["fields"] == {
        "signed_on": "must be a date from 1900-01-01 to 2200-12-31"}
    assert db.session.scalar(db.select(db.func.count(RecognitionDecision.id))) == 0
