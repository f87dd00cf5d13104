"""Both procedures through the API: the district era and today's, the national council, rounds that fail,
the re-rating window on filing, decisions all-or-nothing, the exact mean and the quorum."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from ocop_tracker.accounts.services import create_user
from ocop_tracker.decisions.models import RecognitionDecision
from ocop_tracker.dossiers.models import Dossier
from ocop_tracker.extensions import db
from ocop_tracker.registry.models import Certificate
from ocop_tracker.reviews.models import Council, CouncilMember

from ..factories import (
    DISTRICT_ERA_DAY,
    PASSWORD,
    QD26_DAY,
    dossier_in_state,
    fire,
    marks_body,
    new_dossier,
    score_all,
)
from .test_contract_journey import Api

PEOPLE = ("producer", "officer", "district_officer", "province_officer", "chair", "member", "member3",
          "district_chair", "district_member", "district_member3")


@pytest.fixture()
def api(app, world, client) -> Api:
    api = Api(app, client)
    api.sign_in(*PEOPLE)
    return api


def _get(api: Api, dossier_id: int, who: str = "producer") -> dict:
    return api.json(who, "GET", f"/dossiers/{dossier_id}")


def _marks(api: Api, dossier_id: int, prefix: str, totals) -> None:
    dossier = db.session.get(Dossier, dossier_id)
    for seat, (a, b, c) in zip(("chair", "member", "member3"), totals, strict=True):
        api.json(f"{prefix}{seat}", "PUT", f"/dossiers/{dossier_id}/scores/me",
                 json=marks_body(dossier, {"A": a, "B": b, "C": c}))


def _decision(api: Api, who: str, number: str, day: date, *items, expect: int = 201) -> dict:
    return api.on(day).json(who, "POST", "/decisions", expect, json={
        "number": number, "signed_on": day.isoformat(), "signer": "Nguyễn Văn A",
        "items": [{"dossier_id": d["id"], "version": d["version"], "outcome": outcome} for d, outcome in items]})


def _district_era_rating(api: Api, world, totals) -> dict:
    """Filed in March 2024 (QĐ 148): the district checks and its own council scores."""
    dossier = new_dossier(world)
    api.on(DISTRICT_ERA_DAY)
    body = api.fire("producer", _get(api, dossier.id), "submit")
    assert (body["rule_set"], body["level"], body["unit"]["level"]) == ("qd148-2023-district", "district", "district")
    body = api.fire("district_officer", _get(api, dossier.id, "district_officer"), "forward")
    assert (body["state"], body["level"]) == ("star_rating", "district")
    _marks(api, dossier.id, "district_", totals)
    return api.fire("district_chair", _get(api, dossier.id, "district_chair"), "close_rating")


def test_district_era_three_stars_by_the_district_chairmans_decision(api, world):
    body = _district_era_rating(api, world, ((25, 17, 20), (24, 17, 21), (26, 17, 19)))
    assert (body["state"], body["level"], body["star"]) == ("awaiting_decision", "district", 3)
    day = DISTRICT_ERA_DAY + timedelta(days=20)
    refused = _decision(api, "province_officer", "9/QĐ-UBND", day, (body, "recognise"), expect=403)
    assert refused["error"]["details"]["items"][0]["dossier_id"] == body["id"]
    decision = _decision(api, "district_officer", "88/QĐ-UBND", day, (body, "recognise"))
    assert (decision["level"], decision["body"], decision["items"][0]["star"]) == ("district", "UBND huyện Lương Sơn", 3)
    certificate = _get(api, body["id"])["certificate"]
    assert (certificate["recognised_by"], certificate["issued_on"], certificate["expires_on"]) == (
        "district", "2024-03-24", "2027-03-24")


def test_district_era_seventy_goes_on_to_the_provincial_council(api, world):
    body = _district_era_rating(api, world, ((30, 20, 25),) * 3)  # 75
    assert (body["state"], body["level"], body["star"]) == ("provincial_review", "province", 4)
    body = api.fire("province_officer", _get(api, body["id"], "province_officer"), "admit")
    assert (body["state"], body["batch"]) == ("star_rating", None)  # QĐ 148 had no batches
    _marks(api, body["id"], "", ((31, 20, 26),) * 3)  # 77
    body = api.fire("chair", _get(api, body["id"], "chair"), "close_rating")
    assert (body["state"], body["level"], body["star"]) == ("awaiting_decision", "province", 4)
    _decision(api, "province_officer", "410/QĐ-UBND", DISTRICT_ERA_DAY + timedelta(days=30), (body, "recognise"))
    certificate = _get(api, body["id"])["certificate"]
    assert (certificate["star"], certificate["recognised_by"]) == (4, "province")


@pytest.mark.parametrize(("national", "state", "star"), [(92, "certified", 5), (65, "awaiting_decision", 3),
                                                         (88, "awaiting_decision", 4), (45, "not_recognised", 2)])
def test_national_council_result(api, world, national, state, star):
    dossier = dossier_in_state(world, "central_review", day=QD26_DAY)
    extra = {"decision": {"number": "77/QĐ-BNNMT", "signed_on": "2026-07-01", "signer": "Bộ trưởng"}} \
        if national >= 90 else {}
    body = api.on(date(2026, 7, 1)).fire("province_officer", _get(api, dossier.id, "province_officer"), "recognise",
                                         score=national, **extra)
    assert (body["state"], body["star"]) == (state, star)
    if state == "certified":
        assert body["certificate"]["recognised_by"] == "central"
        assert body["certificate"]["decision"]["number"] == "77/QĐ-BNNMT"
    if state == "awaiting_decision":  # back to the provincial chairman, with the national band's star
        assert body["level"] == "province" and body["allowed_events"] == ["decide"]
        _decision(api, "province_officer", "3/QĐ-UBND", date(2026, 7, 5), (body, "recognise"))
        assert _get(api, dossier.id)["certificate"]["star"] == star


def test_national_five_stars_needs_the_ministrys_decision(api, world):
    dossier = dossier_in_state(world, "central_review", day=QD26_DAY)
    refused = api.on(date(2026, 7, 1)).json(
        "province_officer", "POST", f"/dossiers/{dossier.id}/events/recognise", 422,
        json={"version": dossier.version, "score": 93})
    assert refused["error"]["details"]["missing"] == ["decision"]


def _certified_then_upgraded(world, totals) -> tuple[Dossier, Certificate]:
    dossier = dossier_in_state(world, "certified", day=QD26_DAY)
    held = db.session.scalar(db.select(Certificate).filter_by(dossier_id=dossier.id))
    later = date(2026, 9, 1)
    fire(world, dossier, "request_upgrade", "producer", day=later)
    for event, who in (("submit", "producer"), ("forward", "officer"), ("admit", "province_officer")):
        fire(world, dossier, event, who, day=later)
    score_all(world, dossier, totals)
    db.session.commit()
    return dossier, held


@pytest.mark.parametrize("totals", [((25, 17, 20),) * 3, ((15, 10, 10),) * 3], ids=["same_star", "below_50"])
def test_a_failed_upgrade_keeps_the_certificate_it_held(api, world, totals):
    dossier, held = _certified_then_upgraded(world, totals)
    body = api.on(date(2026, 9, 10)).fire("chair", _get(api, dossier.id, "chair"), "close_rating")
    assert body["state"] == "certified"
    producer_view = _get(api, dossier.id)
    assert producer_view["certificate"]["code"] == held.code and producer_view["certificate"]["status"] == "valid"
    assert producer_view["certificate"]["expires_on"] == held.expires_on.isoformat()  # no new validity
    assert db.session.scalar(db.select(db.func.count(Certificate.id)).filter_by(dossier_id=dossier.id)) == 1
    assert producer_view["allowed_events"] == ["request_upgrade", "request_re_rating"]


@pytest.mark.parametrize(("days_before", "accepted"), [(181, False), (180, True), (120, True), (119, False)])
def test_re_rating_window_is_checked_on_the_filing_day(api, world, days_before, accepted):
    dossier = dossier_in_state(world, "re_rating", day=QD26_DAY)
    last_valid_day = db.session.scalar(db.select(Certificate.expires_on).filter_by(dossier_id=dossier.id))
    filing_day = last_valid_day - timedelta(days=days_before)
    response = api.on(filing_day).call("producer", "POST", f"/dossiers/{dossier.id}/events/submit",
                                       200 if accepted else 422, json={"version": dossier.version})
    if not accepted:
        assert response.get_json()["error"]["details"]["missing"] == ["re_rating_window"]


def test_a_decision_with_one_stale_item_changes_nothing(api, world):
    first = dossier_in_state(world, "awaiting_decision", day=QD26_DAY)
    second = dossier_in_state(world, "awaiting_decision", day=QD26_DAY)
    good, stale = _get(api, first.id), {**_get(api, second.id), "version": second.version - 1}
    refused = _decision(api, "province_officer", "55/QĐ-UBND", date(2026, 7, 1), (good, "recognise"),
                        (stale, "recognise"), expect=409)
    items = refused["error"]["details"]["items"]
    assert [(item["dossier_id"], item["code"]) for item in items] == [(second.id, "stale_version")]
    db.session.expire_all()
    assert {db.session.get(Dossier, d.id).state for d in (first, second)} == {"awaiting_decision"}
    assert db.session.scalar(db.select(db.func.count(RecognitionDecision.id))) == 0
    assert db.session.scalar(db.select(db.func.count(Certificate.id))) == 0
    _decision(api, "province_officer", "55/QĐ-UBND", date(2026, 7, 1), (good, "recognise"))
    reused = _decision(api, "province_officer", "55/QĐ-UBND", date(2026, 7, 2), (_get(api, second.id), "recognise"),
                       expect=409)
    assert reused["error"]["code"] == "decision_refused"


def _seat(world, username: str) -> None:
    council = db.session.scalar(db.select(Council).filter_by(unit_id=world.province.id))
    user = create_user(username=username, password=PASSWORD, role="council_member")
    db.session.add(CouncilMember(council=council, user=user))
    world.users[username] = user


def test_the_exact_mean_decides_the_band(api, world):
    dossier = dossier_in_state(world, "star_rating", day=QD26_DAY)  # three members gave 62 each
    totals = {"chair": (30, 20, 20), "member": (30, 20, 20), "member3": (30, 20, 19)}
    for seat, (a, b, c) in totals.items():
        api.json(seat, "PUT", f"/dossiers/{dossier.id}/scores/me", json=marks_body(dossier, {"A": a, "B": b, "C": c}))
    body = api.fire("chair", _get(api, dossier.id, "chair"), "close_rating")  # mean 69.666…
    assert (body["state"], body["star"]) == ("awaiting_decision", 3)
    assert body["score"]["total"] == 69.66  # shown cut to two decimals, never rounded into 4★


def test_a_nine_member_council_needs_more_than_three_scores(api, world):
    for number in range(4, 10):
        _seat(world, f"member{number}")
    dossier = dossier_in_state(world, "star_rating", day=QD26_DAY)  # chair, member and member3 have scored
    refused = api.json("chair", "POST", f"/dossiers/{dossier.id}/events/close_rating", 422,
                       json={"version": dossier.version})
    assert refused["error"]["details"]["missing"] == ["council_scores (3/7)"]


def test_a_filing_today_takes_the_rule_set_in_force(api, world):
    dossier = new_dossier(world)
    body = api.on(QD26_DAY).fire("producer", _get(api, dossier.id), "submit")
    assert (body["rule_set"], body["level"], body["unit"]["name"]) == ("qd26-2026-commune", "commune", "Liên Sơn")
    rule_sets = {rules["code"]: rules for rules in api.json("producer", "GET", "/rule-sets")}
    assert rule_sets["qd26-2026-commune"]["in_force"] and not rule_sets["qd148-2023-district"]["in_force"]
    assert rule_sets["qd148-2023-district"]["levels"][0] == {"level": "district", "recognises": [3], "sends_up_from": 70}
    assert rule_sets["qd148-2023-district"]["filings_until"] == "2025-07-05"
