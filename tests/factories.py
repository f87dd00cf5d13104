"""Builders for test data, using the same services as the app."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from ocop_tracker.accounts.models import AdministrativeUnit, Organisation, UnitLevel, User
from ocop_tracker.accounts.services import create_user
from ocop_tracker.decisions.services import DecisionLine, record_decision
from ocop_tracker.documents.samples import minimal_pdf
from ocop_tracker.documents.services import record_vietgap, upload_document
from ocop_tracker.dossiers.models import Dossier
from ocop_tracker.dossiers.placement import dossier_rules
from ocop_tracker.dossiers.services import apply_event, open_dossier
from ocop_tracker.extensions import db
from ocop_tracker.products.models import ProductSet
from ocop_tracker.products.services import create_product, load_product_catalogue
from ocop_tracker.registry.services import current_certificate
from ocop_tracker.reviews.models import Council, CouncilMember, EvaluationBatch
from ocop_tracker.reviews.services import current_round, record_self_assessment, score_dossier
from ocop_tracker.reviews.sheet_fill import ticks_for_parts
from ocop_tracker.reviews.sheet_scoring import round_sheet
from ocop_tracker.workflow import GuardFailed

PASSWORD = "secret-pass-1"
PDF = minimal_pdf("test")
DAY0 = date(2026, 3, 2)  # filed under qd1489-2025-commune: commune check, provincial council
QD26_DAY = date(2026, 6, 1)  # filed under qd26-2026-commune: batches
DISTRICT_ERA_DAY = date(2024, 3, 4)  # filed under qd148-2023-district: the district's own council
REFORM_DAY = date(2025, 7, 1)
TEA, BANANA = 11, 1  # product sets without and with a VietGAP stage


@dataclass
class World:
    province: AdministrativeUnit
    district: AdministrativeUnit
    other_district: AdministrativeUnit
    commune: AdministrativeUnit
    other_commune: AdministrativeUnit
    users: dict[str, User]

    def __getitem__(self, name: str) -> User | None:
        return None if name == "system" else self.users[name]


def _unit(code, name, level, parent=None, abolished_on=None) -> AdministrativeUnit:
    unit = AdministrativeUnit(code=code, name=name, level=level, parent=parent, abolished_on=abolished_on)
    db.session.add(unit)
    db.session.flush()
    unit.path = (parent.path if parent else "/") + f"{unit.id}/"
    return unit


def _user(username, role, **bound) -> User:
    return create_user(username=username, password=PASSWORD, role=role, email=f"{username}@test.local", **bound)


def _council(unit, name, users, prefix) -> None:
    council = Council(unit=unit, name=name)
    db.session.add(council)
    for seat in ("chair", "member", "member3"):
        users[f"{prefix}{seat}"] = _user(f"{prefix}{seat}", "council_member")
        db.session.add(CouncilMember(council=council, user=users[f"{prefix}{seat}"], is_chair=seat == "chair"))


def build_world() -> World:
    """A province with two districts abolished on 1/7/2025, each with a commune, its producer and its officer;
    the provincial council (chair, member, member3) and the first district's old council (district_chair, …)."""
    load_product_catalogue()
    for code, rank in (("province", 1), ("district", 2), ("commune", 3)):
        db.session.add(UnitLevel(code=code, rank=rank, name_vi=code, name_en=code))
    province = _unit("P", "Phú Thọ", "province")
    district = _unit("P-D1", "Lương Sơn", "district", province, REFORM_DAY)
    other_district = _unit("P-D2", "Lạc Sơn", "district", province, REFORM_DAY)
    commune, other_commune = _unit("P-D1-C1", "Liên Sơn", "commune", district), _unit("P-D2-C1", "Nhân Nghĩa", "commune", other_district)
    coop = Organisation(name="HTX Chuối Viba", kind="cooperative", unit=commune)
    other_coop = Organisation(name="Công ty Nhưng Vần", kind="enterprise", unit=other_commune)
    db.session.add_all([coop, other_coop])
    users = {
        "producer": _user("producer", "producer", organisation=coop),
        "other_producer": _user("other_producer", "producer", organisation=other_coop),
        "officer": _user("officer", "officer", unit=commune),
        "other_officer": _user("other_officer", "officer", unit=other_commune),
        "district_officer": _user("district_officer", "officer", unit=district),
        "province_officer": _user("province_officer", "officer", unit=province),
        "admin": _user("admin", "admin", unit=province),
    }
    _council(province, "Hội đồng OCOP tỉnh Phú Thọ", users, "")
    _council(district, "Hội đồng OCOP huyện Lương Sơn", users, "district_")
    db.session.add(EvaluationBatch(unit=province, name="Đợt 2 năm 2026", filing_cutoff=date(2026, 10, 30),
                                   decision_due=date(2026, 12, 30)))
    db.session.flush()
    return World(province, district, other_district, commune, other_commune, users)


def new_dossier(world: World, *, set_number: int = TEA, documents: bool = True, name: str = "Chè Mỹ Tân") -> Dossier:
    product_set = db.session.scalar(db.select(ProductSet).filter_by(number=set_number))
    product = create_product(actor=world["producer"], name=name, product_set=product_set)
    dossier = open_dossier(product, actor=world["producer"])
    if documents:
        upload_required_documents(dossier, world["producer"])
    return dossier


def upload_required_documents(dossier: Dossier, actor: User, valid_until: date | None = None) -> None:
    rules = dossier_rules(dossier)
    for kind in rules.required_documents(dossier.dossier_type, dossier.product.product_set.group.code):
        upload_document(dossier, actor=actor, kind=kind, filename=f"{kind}.pdf", data=PDF, valid_until=valid_until)


def fire(world: World, dossier: Dossier, event: str, who: str, day: date = DAY0, **extra):
    return apply_event(dossier, event, actor=world[who], version=dossier.version, today=day, **extra)


def score_marks(dossier: Dossier, *, actor: User, parts: dict, **fill):
    """A member's marks with these parts: ticked on the round's sheet to add up to them, typed where it has none."""
    sheet = round_sheet(current_round(dossier), dossier)
    if sheet is None:
        return score_dossier(dossier, actor=actor, parts=parts)
    return score_dossier(dossier, actor=actor, criteria=ticks_for_parts(sheet, parts, **fill))


def marks_body(dossier: Dossier, parts: dict) -> dict:
    """The body of PUT /scores/me giving these parts: the sheet's ticks adding up to them, or the parts themselves."""
    sheet = round_sheet(current_round(dossier), dossier)
    return {"parts": parts} if sheet is None else {"criteria": ticks_for_parts(sheet, parts)}


def self_assess(dossier: Dossier, *, actor: User, parts: dict):
    """The producer's self-assessment with these parts (on the sheet where the round has one)."""
    sheet = round_sheet(current_round(dossier), dossier)
    if sheet is None:
        return record_self_assessment(dossier, actor=actor, parts=parts)
    return record_self_assessment(dossier, actor=actor, criteria=ticks_for_parts(sheet, parts))


def district_era_rating(world: World) -> Dossier:
    """A dossier filed under QĐ 148 (no scoring sheets), at its district council's rating."""
    dossier = new_dossier(world)
    fire(world, dossier, "submit", "producer", day=DISTRICT_ERA_DAY)
    fire(world, dossier, "forward", "district_officer", day=DISTRICT_ERA_DAY)
    return dossier


def score_all(world: World, dossier: Dossier, totals=((25, 17, 20), (24, 17, 21), (26, 17, 19)),
              prefix: str = "") -> None:
    """The three members of the dossier's council enter their marks (a mean of 62 by default)."""
    # Not strict: fewer totals than seats lets only the first members score (the quorum tests).
    for seat, (a, b, c) in zip(("chair", "member", "member3"), totals, strict=False):
        score_marks(dossier, actor=world[f"{prefix}{seat}"], parts={"A": a, "B": b, "C": c})


def decide(world: World, dossier: Dossier, outcome: str = "recognise", who: str = "province_officer",
           day: date = DAY0, number: str | None = None):
    """Record a one-line recognition decision for the dossier (signed that day)."""
    return record_decision(actor=world[who], number=number or f"{dossier.id}/QĐ-UBND", signed_on=day,
                           signer="Nguyễn Văn A", lines=[DecisionLine(dossier, dossier.id, dossier.version, outcome)],
                           today=day)


CENTRAL_TOTALS = ((38, 24, 32), (37, 24, 33), (38, 23, 33))  # mean 94: goes to the national council

# How to reach each state from a fresh dossier: (event, actor, extra arguments).
PATHS = {
    "draft": [],
    "vietgap": [("submit", "producer", {})],
    "district_review": [("submit", "producer", {})],
    "returned": [("submit", "producer", {}), ("return", "officer", {"comment": "Thiếu giấy phép"})],
    "withdrawn": [("submit", "producer", {}), ("withdraw", "producer", {})],
    "provincial_review": [("submit", "producer", {}), ("forward", "officer", {})],
    "star_rating": [("submit", "producer", {}), ("forward", "officer", {}), ("admit", "province_officer", {})],
}


def dossier_in_state(world: World, state: str, day: date = DAY0) -> Dossier:
    """A dossier driven through the real workflow into `state` (filed on `day`), with its next step's guards met."""
    dossier = new_dossier(world, set_number=BANANA if state == "vietgap" else TEA)
    if state == "vietgap":
        record_vietgap(dossier, actor=world["producer"], certificate_no="VG-1", issuer="VIETCERT",
                       issued_on=day - timedelta(days=30), valid_until=day + timedelta(days=3 * 365))
    if state in PATHS:
        for event, who, extra in PATHS[state]:
            fire(world, dossier, event, who, day=day, **extra)
        if state == "star_rating":
            score_all(world, dossier)
    else:
        _beyond_rating(world, dossier, state, day)
    db.session.commit()
    return dossier


def _beyond_rating(world: World, dossier: Dossier, state: str, day: date) -> None:
    for event, who, extra in PATHS["star_rating"]:
        fire(world, dossier, event, who, day=day, **extra)
    totals = CENTRAL_TOTALS if state == "central_review" else ((15, 10, 10),) * 3 if state == "not_recognised" else None
    score_all(world, dossier, *([totals] if totals else []))
    fire(world, dossier, "close_rating", "chair", day=day)
    if state in ("awaiting_decision", "central_review", "not_recognised"):
        return
    decide(world, dossier, day=day)
    follow_up = {"upgrade": ("request_upgrade", "producer", {}),
                 "re_rating": ("request_re_rating", "producer", {}),
                 "revoked": ("revoke", "province_officer", {"grounds": "Vi phạm nhãn"}),
                 "expired": ("expire", "system", {})}
    if state in follow_up:
        event, who, extra = follow_up[state]
        fire(world, dossier, event, who, day=expiry_day(dossier) + timedelta(days=1) if state == "expired" else day,
             **extra)


def guard_refusal(world: World, dossier: Dossier, event: str, who: str, **extra) -> list[str]:
    """What a refused event says is missing; the dossier is left as it was."""
    version, state = dossier.version, dossier.state
    with pytest.raises(GuardFailed) as refused:
        fire(world, dossier, event, who, **extra)
    assert (dossier.state, dossier.version) == (state, version)
    return refused.value.missing


def expiry_day(dossier: Dossier) -> date:
    """The certificate's last valid day."""
    return current_certificate(dossier).expires_on


def re_rating_day(dossier: Dossier) -> date:
    return expiry_day(dossier) - timedelta(days=150)
