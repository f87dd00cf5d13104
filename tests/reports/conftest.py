"""A province with dossiers at every stage in the communes of both former districts, and the district-era history
of each district, on a pinned today, for the dashboard and exports."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from ocop_tracker.accounts.services import create_user
from ocop_tracker.dossiers.models import Dossier
from ocop_tracker.dossiers.services import open_dossier
from ocop_tracker.extensions import db
from ocop_tracker.products.models import ProductSet
from ocop_tracker.products.services import create_product
from ocop_tracker.reviews.models import Council, CouncilMember

from ..factories import DAY0, PASSWORD, TEA, World, decide, fire, score_marks, upload_required_documents

TODAY = date(2026, 6, 1)
PROCESSED = 7  # a product set without a VietGAP stage, besides tea
THREE_STARS = ((25, 17, 20), (24, 17, 21), (26, 17, 19))
FOUR_STARS = ((30, 20, 25), (31, 19, 25), (29, 21, 25))
LATE = date(2026, 5, 4)  # well past the 15 working days of a check received on DAY0
# District era (QĐ 148): before the shipped calendar, so the check has no due day. Recognised by the district's
# chairman on the filing day, the certificates are valid through 01/09/2026 and 02/10/2026.
OLD = date(2023, 9, 1)
OTHER_OLD = date(2023, 10, 2)
SEATS = ("chair", "member", "member3")


@dataclass
class Scene:
    world: World
    dossiers: dict[str, Dossier]


def _other_district_history(world: World) -> None:
    """The second district's officer and council, as they were before the district was abolished."""
    world.users["other_district_officer"] = create_user(
        username="other_district_officer", password=PASSWORD, role="officer", unit=world.other_district,
        email="other_district_officer@test.local")
    council = Council(unit=world.other_district, name="Hội đồng OCOP huyện Lạc Sơn")
    db.session.add(council)
    for seat in SEATS:
        name = f"other_district_{seat}"
        world.users[name] = create_user(username=name, password=PASSWORD, role="council_member",
                                        email=f"{name}@test.local")
        db.session.add(CouncilMember(council=council, user=world.users[name], is_chair=seat == "chair"))
    db.session.flush()


def _dossier(world: World, prefix: str, name: str, set_number: int) -> Dossier:
    producer = world[f"{prefix}producer"]
    product_set = db.session.scalar(db.select(ProductSet).filter_by(number=set_number))
    dossier = open_dossier(create_product(actor=producer, name=name, product_set=product_set), actor=producer)
    upload_required_documents(dossier, producer)
    return dossier


def _score(world: World, dossier: Dossier, council: str, totals) -> None:
    for seat, (a, b, c) in zip(SEATS, totals, strict=True):
        score_marks(dossier, actor=world[f"{council}{seat}"], parts={"A": a, "B": b, "C": c})


def _rated(world: World, prefix: str, dossier: Dossier, day: date, totals=THREE_STARS, decided: bool = True) -> Dossier:
    """Today's procedure on `day`: the commune checks and forwards, the province admits, its council scores and
    closes; then (unless `decided` is False) the province's chairman recognises it by a decision signed that day."""
    fire(world, dossier, "submit", f"{prefix}producer", day)
    fire(world, dossier, "forward", f"{prefix}officer", day)
    fire(world, dossier, "admit", "province_officer", day)
    _score(world, dossier, "", totals)
    fire(world, dossier, "close_rating", "chair", day)
    assert dossier.state == "awaiting_decision", dossier.state
    if decided:
        decide(world, dossier, day=day)
    return dossier


def _district_era(world: World, prefix: str, dossier: Dossier, day: date) -> Dossier:
    """QĐ 148 on `day`: the district checks, its own council scores 3★, its chairman recognises it."""
    district = f"{prefix}district_"
    fire(world, dossier, "submit", f"{prefix}producer", day)
    fire(world, dossier, "forward", f"{district}officer", day)
    _score(world, dossier, district, THREE_STARS)
    fire(world, dossier, "close_rating", f"{district}chair", day)
    decide(world, dossier, who=f"{district}officer", day=day)
    assert dossier.state == "certified" and dossier.rule_set == "qd148-2023-district", dossier.rule_set
    return dossier


def _build(world: World) -> dict[str, Dossier]:
    _other_district_history(world)
    d = {name: _dossier(world, "other_" if name.startswith("other") else "", f"Sản phẩm {name}",
                        PROCESSED if name in ("late", "review_open", "other_certified") else TEA)
         for name in ("draft", "review_open", "overdue", "on_time", "late", "old", "upgrade", "cancelled",
                      "returned", "withdrawn", "awaiting", "other_overdue", "other_certified", "other_expiring")}
    fire(world, d["review_open"], "submit", "producer", date(2026, 5, 25))  # QĐ 26
    fire(world, d["overdue"], "submit", "producer")
    fire(world, d["on_time"], "submit", "producer")
    fire(world, d["on_time"], "forward", "officer")  # at the provincial office
    fire(world, d["late"], "submit", "producer")
    fire(world, d["late"], "forward", "officer", LATE)
    fire(world, d["late"], "admit", "province_officer", LATE)
    _score(world, d["late"], "", THREE_STARS)
    fire(world, d["late"], "close_rating", "chair", LATE)
    decide(world, d["late"], day=LATE)
    fire(world, _district_era(world, "", d["old"], OLD), "request_re_rating", "producer", date(2026, 4, 1))
    fire(world, _rated(world, "", d["upgrade"], DAY0), "request_upgrade", "producer")
    fire(world, _rated(world, "", d["cancelled"], DAY0), "request_upgrade", "producer")
    fire(world, d["cancelled"], "cancel_round", "producer")
    fire(world, d["returned"], "submit", "producer")
    fire(world, d["returned"], "return", "officer", comment="Thiếu giấy phép")
    fire(world, d["withdrawn"], "submit", "producer")
    fire(world, d["withdrawn"], "withdraw", "producer")
    _rated(world, "", d["awaiting"], DAY0, decided=False)
    fire(world, d["other_overdue"], "submit", "other_producer")
    fire(world, _rated(world, "other_", d["other_certified"], DAY0, FOUR_STARS), "request_upgrade", "other_producer")
    upload_required_documents(d["other_certified"], world["other_producer"])
    fire(world, d["other_certified"], "submit", "other_producer", date(2026, 4, 1))
    fire(world, d["other_certified"], "forward", "other_officer", date(2026, 4, 2))  # the upgrade, at the province
    _district_era(world, "other_", d["other_expiring"], OTHER_OLD)
    return d


@pytest.fixture()
def scene(app, world) -> Scene:
    app.config["TODAY"] = TODAY
    dossiers = _build(world)
    db.session.commit()
    return Scene(world, dossiers)
