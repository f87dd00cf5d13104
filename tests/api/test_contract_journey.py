"""The whole journey through the JSON API only, as the contract writes it, under today's procedure (QĐ 26): a new
product's dossier from draft through the commune's check, the provincial office's admission to a batch, the
provincial council and the chairman's decision to the certificate and the registry, with state, allowed_events,
version, deadlines and history checked at every step."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from io import BytesIO

from ocop_tracker.clock import VIETNAM
from ocop_tracker.documents.models import Document
from ocop_tracker.documents.samples import minimal_pdf
from ocop_tracker.dossiers.models import Dossier
from ocop_tracker.extensions import db
from ocop_tracker.registry.models import Certificate
from ocop_tracker.storage import current_storage

from ..factories import PASSWORD, marks_body

REQUIRED = ["registration_form", "self_assessment", "business_licence",
            "food_safety_certificate", "quality_announcement", "test_report"]  # set-11 is in the food group
PDF = minimal_pdf("contract journey")
RETURN_REASON = "Thiếu phiếu kiểm nghiệm còn hiệu lực."
MARKS = {"chair": (25, 16, 20), "member": (24, 15, 21), "member3": (26, 17, 19)}  # totals 61, 60, 62
# The days each step happens on (June 2026: no holiday, so the working days are plain weekdays).
SUBMITTED, RETURNED, RESUBMITTED = date(2026, 6, 1), date(2026, 6, 3), date(2026, 6, 4)
FORWARDED, ADMITTED, CLOSED, DECIDED = date(2026, 6, 8), date(2026, 6, 10), date(2026, 6, 15), date(2026, 6, 19)
# 15 working days counted from the working day after receipt.
CHECK_DUE = {SUBMITTED: "2026-06-22", RESUBMITTED: "2026-06-25"}
BATCH_DUE = {"kind": "decision", "due_on": "2026-12-30"}  # the batch "Đợt 2 năm 2026" decides by 30/12


class Api:
    """One bearer token per person, each request as that person, JSON in and out."""

    def __init__(self, app, client):
        self.app, self.client, self.tokens = app, client, {}

    def sign_in(self, *usernames: str) -> None:
        for username in usernames:
            response = self.client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
            assert response.status_code == 201, response.get_json()
            self.tokens[username] = response.get_json()["token"]

    def on(self, day: date) -> Api:
        self.app.config["TODAY"] = day
        return self

    def call(self, who: str | None, method: str, path: str, expect: int = 200, **kwargs):
        headers = {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}
        response = self.client.open(f"/api/v1{path}", method=method, headers=headers, **kwargs)
        assert response.status_code == expect, (method, path, response.status_code, response.get_data(as_text=True))
        return response

    def json(self, who: str | None, method: str, path: str, expect: int = 200, **kwargs):
        return self.call(who, method, path, expect, **kwargs).get_json()

    def fire(self, who: str, dossier: dict, event: str, **extra) -> dict:
        return self.json(who, "POST", f"/dossiers/{dossier['id']}/events/{event}",
                         json={"version": dossier["version"], **extra})


def check_dossier(body: dict, *, state: str, version: int, allowed: list[str], deadlines: list[dict],
                  history: list[tuple]) -> None:
    """The contract's fields at one step, as the caller sees them."""
    assert (body["state"], body["version"], body["allowed_events"]) == (state, version, allowed)
    assert body["deadlines"] == deadlines
    assert [(h["event"], h["from"], h["to"], h["actor"], h["comment"]) for h in body["history"]] == [
        step[:5] for step in history]
    for row, step in zip(body["history"], history, strict=True):
        moment = datetime.fromisoformat(row["at"])
        assert moment.utcoffset() == timedelta(hours=7) and moment.date() == step[5], row["at"]
        assert minutes_apart(moment, datetime.now(VIETNAM)) < 10, row["at"]  # the day it counts as, at the real time
    assert body["round"] == 1 and body["rule_set"] == "qd26-2026-commune"


def minutes_apart(one: datetime, other: datetime) -> float:
    """How far apart two times of day are, whatever their dates (backdated events keep the real time of day)."""
    seconds = abs((one - one.replace(hour=0, minute=0, second=0, microsecond=0))
                  - (other - other.replace(hour=0, minute=0, second=0, microsecond=0))).total_seconds()
    return min(seconds, 86400 - seconds) / 60


def first_check(due_on: str, status: str) -> dict:
    return {"kind": "first_level_check", "due_on": due_on, "status": status}


def open_product_and_dossier(api: Api, world) -> dict:
    sets = {row["code"]: row for row in api.json("producer", "GET", "/product-sets")}
    assert len(sets) == 26 and sets["set-11"]["group"] == "food"
    assert (sets["set-11"]["vietgap_stage"], sets["set-01"]["vietgap_stage"]) == (False, True)
    product = api.json("producer", "POST", "/products", 201,
                       json={"name": " Chè shan tuyết Mỹ Tân ", "product_set": "set-11", "description": "Búp hái tay"})
    organisation = {"id": world["producer"].organisation_id, "name": "HTX Chuối Viba"}
    assert product == {"id": product["id"], "name": "Chè shan tuyết Mỹ Tân", "product_set": "set-11",
                       "description": "Búp hái tay", "organisation": organisation}
    dossier = api.json("producer", "POST", "/dossiers", 201, json={"product_id": product["id"]})
    check_dossier(dossier, state="draft", version=1, allowed=["submit", "withdraw"], deadlines=[], history=[])
    assert dossier["product"] == {"id": product["id"], "name": "Chè shan tuyết Mỹ Tân", "product_set": "set-11"}
    assert dossier["organisation"] == organisation
    assert dossier["unit"] == {"id": world.commune.id, "name": "Liên Sơn", "level": "commune"}
    assert dossier["missing_documents"] == REQUIRED and dossier["documents"] == []
    assert (dossier["received_on"], dossier["vietgap"], dossier["score"], dossier["star"], dossier["certificate"]) == (
        None, None, None, None, None)
    return dossier


def upload_documents(api: Api, dossier: dict) -> dict:
    for kind in REQUIRED:
        document = api.json("producer", "POST", f"/dossiers/{dossier['id']}/documents", 201,
                            data={"kind": kind, "file": (BytesIO(PDF), f"{kind}.pdf")})
        assert (document["kind"], document["filename"], document["version"]) == (kind, f"{kind}.pdf", 1)
    body = api.json("producer", "GET", f"/dossiers/{dossier['id']}")
    assert [doc["kind"] for doc in body["documents"]] == REQUIRED and body["missing_documents"] == []
    assert all(datetime.fromisoformat(doc["uploaded_at"]).utcoffset() == timedelta(hours=7)
               for doc in body["documents"])
    first = body["documents"][0]
    download = api.call("producer", "GET", f"/dossiers/{dossier['id']}/documents/{first['id']}/file")
    assert download.data == PDF and download.headers["Content-Disposition"].startswith("attachment")
    stored = db.session.get(Document, first["id"])
    assert current_storage().get(stored.stored_name) == PDF
    check_dossier(body, state="draft", version=1, allowed=["submit", "withdraw"], deadlines=[], history=[])
    return body


def submit_return_resubmit(api: Api, dossier: dict) -> tuple[dict, list]:
    path = f"/dossiers/{dossier['id']}"
    api.call("officer", "GET", path, 404)  # officers never see drafts
    body = api.on(SUBMITTED).fire("producer", dossier, "submit")
    history = [("submit", "draft", "district_review", "producer", "", SUBMITTED)]
    check_dossier(body, state="district_review", version=2, allowed=["withdraw"],
                  deadlines=[first_check(CHECK_DUE[SUBMITTED], "on_time")], history=history)
    assert body["received_on"] == "2026-06-01"
    body = api.on(RETURNED).json("officer", "GET", path)
    assert body["allowed_events"] == ["return", "forward"]
    body = api.fire("officer", body, "return", comment=RETURN_REASON)
    history.append(("return", "district_review", "returned", "officer", RETURN_REASON, RETURNED))
    check_dossier(body, state="returned", version=3, allowed=[], history=history,
                  deadlines=[first_check(CHECK_DUE[SUBMITTED], "met")])
    body = api.json("producer", "GET", path)
    assert body["allowed_events"] == ["resubmit", "withdraw"]
    body = api.on(RESUBMITTED).fire("producer", body, "resubmit")
    history.append(("resubmit", "returned", "district_review", "producer", "", RESUBMITTED))
    check_dossier(body, state="district_review", version=4, allowed=["withdraw"], history=history,
                  deadlines=[first_check(CHECK_DUE[SUBMITTED], "met"), first_check(CHECK_DUE[RESUBMITTED], "on_time")])
    return body, history


def forward_and_admit(api: Api, dossier: dict, history: list) -> tuple[dict, list]:
    """The commune forwards the file up; the provincial OCOP office admits it to the open batch."""
    path = f"/dossiers/{dossier['id']}"
    api.call("chair", "GET", path, 404)  # the council sees the dossier once it is admitted
    body = api.on(FORWARDED).fire("officer", dossier, "forward")
    history.append(("forward", "district_review", "provincial_review", "officer", "", FORWARDED))
    deadlines = [first_check(CHECK_DUE[SUBMITTED], "met"), first_check(CHECK_DUE[RESUBMITTED], "met")]
    check_dossier(body, state="provincial_review", version=5, allowed=[], deadlines=deadlines, history=history)
    assert (body["level"], body["batch"]) == ("province", None)
    body = api.json("province_officer", "GET", path)
    assert body["allowed_events"] == ["return", "admit"]
    body = api.on(ADMITTED).fire("province_officer", body, "admit")
    history.append(("admit", "provincial_review", "star_rating", "province_officer", "", ADMITTED))
    deadlines.append({**BATCH_DUE, "status": "on_time"})
    check_dossier(body, state="star_rating", version=6, allowed=[], deadlines=deadlines, history=history)
    assert body["batch"]["name"] == "Đợt 2 năm 2026" and body["batch"]["decision_due"] == "2026-12-30"
    return body, deadlines


def score(api: Api, dossier: dict, history: list, deadlines: list) -> dict:
    path = f"/dossiers/{dossier['id']}"
    for count, (seat, (a, b, c)) in enumerate(MARKS.items(), start=1):
        before = api.json(seat, "GET", path)
        check_dossier(before, state="star_rating", version=6, deadlines=deadlines, history=history,
                      allowed=["close_rating"] if seat == "chair" else [])
        assert before["score"] is None  # sealed until the member's own marks are in
        marks = marks_body(db.session.get(Dossier, dossier["id"]), {"A": a, "B": b, "C": c})
        assert "criteria" in marks  # filed under QĐ 1489: scored on the official sheet
        body = api.json(seat, "PUT", f"{path}/scores/me", json=marks)
        assert body["my_score"] == {"parts": {"A": a, "B": b, "C": c}, "total": a + b + c}
        assert body["score"]["members"] == count and body["version"] == 6
    assert api.json("producer", "GET", path)["score"] is None  # the producer reads the result once it is closed
    return body


def close_rating_and_decide(api: Api, dossier: dict, history: list, deadlines: list) -> dict:
    """The chair closes at 61 (3★); the chairman's decision, recorded by the province, issues the certificate."""
    body = api.on(CLOSED).fire("chair", dossier, "close_rating")
    history.append(("close_rating", "star_rating", "awaiting_decision", "chair", "", CLOSED))
    check_dossier(body, state="awaiting_decision", version=7, allowed=[], deadlines=deadlines, history=history)
    assert (body["certificate"], body["star"]) == (None, 3)
    waiting = api.json("province_officer", "GET", f"/dossiers/{dossier['id']}")
    assert waiting["allowed_events"] == ["decide"]
    api.json("province_officer", "POST", f"/dossiers/{dossier['id']}/events/decide", 422,
             json={"version": 7})  # decide comes only with a decision
    decision = api.on(DECIDED).json("province_officer", "POST", "/decisions", 201, json={
        "number": "1234/QĐ-UBND", "signed_on": "2026-06-19", "signer": "Nguyễn Văn A",
        "items": [{"dossier_id": dossier["id"], "version": 7, "outcome": "recognise"}]})
    assert (decision["number"], decision["level"], decision["body"]) == ("1234/QĐ-UBND", "province", "UBND tỉnh Phú Thọ")
    assert decision["items"][0]["state"] == "certified" and decision["items"][0]["star"] == 3
    history.append(("decide", "awaiting_decision", "certified", "province_officer", "1234/QĐ-UBND (19/06/2026)",
                    DECIDED))
    producer_view = api.json("producer", "GET", f"/dossiers/{dossier['id']}")
    certificate = producer_view["certificate"]
    assert certificate == {"code": certificate["code"], "star": 3, "issued_on": "2026-06-19",
                           "expires_on": "2029-06-19", "recognised_by": "province", "status": "valid",
                           "decision": {"id": decision["id"], "number": "1234/QĐ-UBND", "signed_on": "2026-06-19",
                                        "signer": "Nguyễn Văn A", "signer_title": "Chủ tịch UBND tỉnh",
                                        "level": "province", "body": "UBND tỉnh Phú Thọ"}}
    assert decision["items"][0]["certificate"] == certificate
    deadlines = deadlines[:-1] + [{**BATCH_DUE, "status": "met"},
                                  {"kind": "re_rating_filing", "due_on": "2029-02-19", "status": "on_time"},
                                  {"kind": "certificate_expiry", "due_on": "2029-06-19", "status": "on_time"}]
    check_dossier(producer_view, state="certified", version=8, allowed=["request_upgrade", "request_re_rating"],
                  deadlines=deadlines, history=history)
    assert producer_view["star"] == 3 and producer_view["level"] == "province"
    assert producer_view["score"] == {"total": 61.0, "parts": {"A": 25.0, "B": 16.0, "C": 20.0}, "members": 3,
                                      "quorum": 3, "star": 3, "flagged": 0}
    return producer_view


def registry_lookup(api: Api, certificate: dict) -> None:
    """The public registry answers without a token (asserted only once its endpoint is there)."""
    if not any(rule.rule.startswith("/api/v1/registry/") for rule in api.app.url_map.iter_rules()):
        return
    entry = api.json(None, "GET", f"/registry/{certificate['code']}")
    assert {key: entry[key] for key in ("code", "star", "issued_on", "expires_on", "status", "decision")} == {
        "code": certificate["code"], "star": 3, "issued_on": "2026-06-19", "expires_on": "2029-06-19",
        "status": "valid", "decision": {"number": "1234/QĐ-UBND", "signed_on": "2026-06-19", "signer": "Nguyễn Văn A",
                                        "body": "UBND tỉnh Phú Thọ"}}
    assert "product" in entry and "organisation" in entry
    assert api.on(date(2029, 6, 19)).json(None, "GET", f"/registry/{certificate['code']}")["status"] == "valid"
    assert api.on(date(2029, 6, 20)).json(None, "GET", f"/registry/{certificate['code']}")["status"] == "expired"


def test_full_journey_through_the_api(app, world, client):
    api = Api(app, client)
    api.sign_in("producer", "officer", "province_officer", "chair", "member", "member3")
    dossier = upload_documents(api, open_product_and_dossier(api, world))
    dossier, history = submit_return_resubmit(api, dossier)
    dossier, deadlines = forward_and_admit(api, dossier, history)
    dossier = score(api, dossier, history, deadlines)
    dossier = close_rating_and_decide(api, dossier, history, deadlines)
    registry_lookup(api, dossier["certificate"])
    stored = db.session.get(Dossier, dossier["id"])
    db.session.refresh(stored)
    assert (stored.state, stored.version, len(stored.history)) == ("certified", 8, 7)
    assert db.session.scalar(db.select(Certificate.code).filter_by(dossier_id=stored.id)) == dossier["certificate"]["code"]


def test_dossier_list_shows_only_what_the_caller_may_see(app, world, client):
    api = Api(app, client)
    api.sign_in("producer", "other_producer", "officer", "other_officer")
    dossier = upload_documents(api, open_product_and_dossier(api, world))
    api.on(SUBMITTED).fire("producer", dossier, "submit")
    for who, total in (("producer", 1), ("officer", 1), ("other_producer", 0), ("other_officer", 0)):
        listing = api.json(who, "GET", "/dossiers")
        assert (listing["total"], listing["page"], listing["per_page"]) == (total, 1, 25)
        assert [item["id"] for item in listing["items"]] == [dossier["id"]] * total
    item = api.json("officer", "GET", "/dossiers?state=district_review&per_page=100")["items"][0]
    assert (item["state"], item["version"], item["product"]["product_set"]) == ("district_review", 2, "set-11")
    assert item["next_deadline"] == first_check(CHECK_DUE[SUBMITTED], "on_time")
    assert api.json("officer", "GET", "/dossiers?state=draft")["total"] == 0
    assert api.json("producer", "GET", "/dossiers?page=2")["items"] == []
