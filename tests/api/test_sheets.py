"""The sheets through the API: a product set's sheet, scoring on it (PUT scores/me), and the upgrade plan."""
from __future__ import annotations

import pytest

from ocop_tracker.extensions import db
from ocop_tracker.reviews.models import Score
from ocop_tracker.reviews.services import current_round
from ocop_tracker.reviews.sheet_scoring import marks_by_criterion

from ..factories import QD26_DAY, district_era_rating, dossier_in_state, marks_body
from ..reviews.test_star_minimums import STORY, admitted
from ..reviews.test_upgrade_plan import certified_short_of_four_stars
from .test_contract_journey import Api

PEOPLE = ("producer", "other_producer", "officer", "other_officer", "province_officer", "chair", "member",
          "district_chair", "district_member")


@pytest.fixture()
def api(app, client, world):
    api = Api(app, client)
    api.sign_in(*PEOPLE)
    return api


def test_the_sheet_of_a_product_set_totals_100_in_parts_of_40_25_35(api):
    sheet = api.json("producer", "GET", "/product-sets/set-11/sheet")
    assert (sheet["rule_set"], sheet["product_set"]) == ("qd26-2026-commune", "set-11")
    assert [(part["code"], part["max"]) for part in sheet["parts"]] == [("A", 40), ("B", 25), ("C", 35)]
    for part in sheet["parts"]:
        assert sum(criterion["max"] for criterion in part["criteria"]) == part["max"]
    story = next(c for part in sheet["parts"] for c in part["criteria"] if c["id"] == STORY)
    assert set(story) == {"id", "number", "title", "max", "options"}
    assert set(story["options"][0]) == {"id", "text", "points", "min_star"}
    assert [o["min_star"] for o in story["options"] if o["min_star"]] == [4]
    assert sheet["rejection_conditions"] and all(isinstance(text, str) for text in sheet["rejection_conditions"])


def test_an_unknown_product_set_has_no_sheet(api):
    refused = api.json("producer", "GET", "/product-sets/set-99/sheet", 404)
    assert refused["error"]["code"] == "product_set_not_found"


def test_a_member_scores_on_the_sheet_and_the_parts_are_computed(api, world):
    dossier = admitted(world)
    db.session.commit()
    body = api.json("member", "PUT", f"/dossiers/{dossier.id}/scores/me",
                    json={**marks_body(dossier, {"A": 31, "B": 19, "C": 26}), "notes": {STORY: "Có tư liệu"},
                          "rejection": " Giả mạo hồ sơ "})
    assert body["my_score"] == {"parts": {"A": 31.0, "B": 19.0, "C": 26.0}, "total": 76.0}
    score = db.session.scalar(db.select(Score).filter_by(member_id=world["member"].id))
    assert score.rejection == "Giả mạo hồ sơ" and marks_by_criterion(score, current_round(dossier))[STORY].note == (
        "Có tư liệu")


def test_missing_criteria_are_422_naming_them(api, world):
    dossier = admitted(world)
    db.session.commit()
    criteria = marks_body(dossier, {"A": 31, "B": 19, "C": 26})["criteria"]
    del criteria[STORY], criteria["11-7"]
    refused = api.json("member", "PUT", f"/dossiers/{dossier.id}/scores/me", 422, json={"criteria": criteria})
    assert refused["error"]["details"] == {"missing": [STORY, "11-7"]}
    assert api.json("member", "PUT", f"/dossiers/{dossier.id}/scores/me", 400, json={})["error"]["details"] == {
        "fields": ["criteria"]}


def test_an_option_of_another_criterion_is_422(api, world):
    dossier = admitted(world)
    db.session.commit()
    criteria = marks_body(dossier, {"A": 31, "B": 19, "C": 26})["criteria"]
    criteria[STORY] = criteria["11-7"]
    refused = api.json("member", "PUT", f"/dossiers/{dossier.id}/scores/me", 422, json={"criteria": criteria})
    assert refused["error"]["details"] == {"missing": [STORY]}


def test_parts_are_refused_on_a_sheet_round_and_taken_on_a_district_era_round(api, world):
    dossier = admitted(world)
    district = district_era_rating(world)
    db.session.commit()
    parts = {"parts": {"A": 30, "B": 20, "C": 25}}
    refused = api.json("member", "PUT", f"/dossiers/{dossier.id}/scores/me", 422, json=parts)
    assert refused["error"]["details"] == {"missing": ["parts"]}
    body = api.json("district_member", "PUT", f"/dossiers/{district.id}/scores/me", json=parts)
    assert body["my_score"]["total"] == 75.0


def test_a_member_of_another_council_and_outsiders_cannot_score(api, world):
    dossier = admitted(world)
    db.session.commit()
    body = marks_body(dossier, {"A": 31, "B": 19, "C": 26})
    assert api.json("district_chair", "PUT", f"/dossiers/{dossier.id}/scores/me", 404, json=body)
    assert api.json("other_producer", "PUT", f"/dossiers/{dossier.id}/scores/me", 404, json=body)
    assert api.json("producer", "PUT", f"/dossiers/{dossier.id}/scores/me", 403, json=body)


def test_the_upgrade_plan_names_the_missing_minimums_and_points(api, world):
    dossier = certified_short_of_four_stars(world)
    db.session.commit()
    plan = api.json("producer", "GET", f"/dossiers/{dossier.id}/upgrade-plan")
    assert set(plan) == {"star", "score", "next_star", "points_to_next_band", "unmet_minimums", "best_gains"}
    assert (plan["star"], plan["score"], plan["next_star"], plan["points_to_next_band"]) == (3, 75.0, 4, 0.0)
    assert [(m["criterion"]["id"], m["option"]["points"], m["min_star"]) for m in plan["unmet_minimums"]] == [
        (STORY, 5, 4)]
    assert len(plan["best_gains"]) == 5 and set(plan["best_gains"][0]) == {"criterion", "from_option", "to_option",
                                                                           "points"}
    for who in ("officer", "province_officer"):
        assert api.json(who, "GET", f"/dossiers/{dossier.id}/upgrade-plan") == plan


@pytest.mark.parametrize("who", ["other_producer", "other_officer", "chair", "district_chair"])
def test_the_upgrade_plan_is_404_to_others(api, world, who):
    dossier = certified_short_of_four_stars(world)
    db.session.commit()
    assert api.json(who, "GET", f"/dossiers/{dossier.id}/upgrade-plan", 404)["error"]["code"] == "dossier_not_found"


def test_no_upgrade_plan_before_a_round_closed_on_the_sheet_is_404_saying_so(api, world):
    dossier = dossier_in_state(world, "star_rating", day=QD26_DAY)
    refused = api.json("producer", "GET", f"/dossiers/{dossier.id}/upgrade-plan", 404)
    assert refused["error"]["code"] == "no_upgrade_plan"
