"""A province with dossiers at every stage in both districts, on a pinned today, for the dashboard and exports."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from ocop_tracker.dossiers.models import Dossier
from ocop_tracker.dossiers.services import create_dossier
from ocop_tracker.extensions import db
from ocop_tracker.products.models import ProductSet
from ocop_tracker.products.services import create_product
from ocop_tracker.reviews.services import record_score

from ..factories import DAY0, TEA, World, fire, upload_required_documents

TODAY = date(2026, 6, 1)
PROCESSED = 7  # a product set without a VietGAP stage, besides tea
THREE_STARS = ((25, 17, 20), (24, 17, 21), (26, 17, 19))
FOUR_STARS = ((30, 20, 25), (31, 19, 25), (29, 21, 25))
LATE = date(2026, 5, 4)  # well past the 15 working days of a check received on DAY0
OLD = date(2023, 9, 1)  # before the shipped calendar: a check without a due day; expires 2026-09-01


@dataclass
class Scene:
    world: World
    dossiers: dict[str, Dossier]


def _dossier(world: World, prefix: str, name: str, set_number: int) -> Dossier:
    producer = world[f"{prefix}producer"]
    product_set = db.session.scalar(db.select(ProductSet).filter_by(number=set_number))
    dossier = create_dossier(create_product(actor=producer, name=name, product_set=product_set), actor=producer)
    upload_required_documents(dossier, producer)
    return dossier


def _rated(world: World, prefix: str, dossier: Dossier, day: date, totals=THREE_STARS) -> Dossier:
    """Submitted and forwarded on `day`, scored by the district's council and closed that day too."""
    fire(world, dossier, "submit", f"{prefix}producer", day)
    fire(world, dossier, "forward", f"{prefix}officer", day)
    for seat, (a, b, c) in zip(("chair", "member", "member3"), totals):
        record_score(dossier, actor=world[f"{prefix}{seat}"], parts={"A": a, "B": b, "C": c})
    fire(world, dossier, "close_rating", f"{prefix}chair", day)
    return dossier


def _build(world: World) -> dict[str, Dossier]:
    d = {name: _dossier(world, "other_" if name.startswith("other") else "", f"Sản phẩm {name}",
                        PROCESSED if name in ("late", "review_open", "other_certified") else TEA)
         for name in ("draft", "review_open", "overdue", "on_time", "late", "old", "upgrade", "cancelled",
                      "returned", "withdrawn", "other_overdue", "other_certified", "other_expiring")}
    fire(world, d["review_open"], "submit", "producer", date(2026, 5, 25))
    fire(world, d["overdue"], "submit", "producer")
    fire(world, d["on_time"], "submit", "producer")
    fire(world, d["on_time"], "forward", "officer")
    fire(world, d["late"], "submit", "producer")
    fire(world, d["late"], "forward", "officer", LATE)
    for seat, (a, b, c) in zip(("chair", "member", "member3"), THREE_STARS):
        record_score(d["late"], actor=world[seat], parts={"A": a, "B": b, "C": c})
    fire(world, d["late"], "close_rating", "chair", LATE)
    fire(world, _rated(world, "", d["old"], OLD), "request_re_rating", "producer", date(2026, 4, 1))
    fire(world, _rated(world, "", d["upgrade"], DAY0), "request_upgrade", "producer")
    fire(world, _rated(world, "", d["cancelled"], DAY0), "request_upgrade", "producer")
    fire(world, d["cancelled"], "cancel_round", "producer")
    fire(world, d["returned"], "submit", "producer")
    fire(world, d["returned"], "return", "officer", comment="Thiếu giấy phép")
    fire(world, d["withdrawn"], "submit", "producer")
    fire(world, d["withdrawn"], "withdraw", "producer")
    fire(world, d["other_overdue"], "submit", "other_producer")
    fire(world, _rated(world, "other_", d["other_certified"], DAY0, FOUR_STARS), "request_upgrade", "other_producer")
    upload_required_documents(d["other_certified"], world["other_producer"])
    fire(world, d["other_certified"], "submit", "other_producer", date(2026, 4, 1))
    _rated(world, "other_", d["other_expiring"], date(2023, 10, 2))
    return d


@pytest.fixture()
def scene(app, world) -> Scene:
    app.config["TODAY"] = TODAY
    dossiers = _build(world)
    db.session.commit()
    return Scene(world, dossiers)
