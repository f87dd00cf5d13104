"""Certified dossiers of either test producer, through the real workflow and a recognition decision."""
from __future__ import annotations

from datetime import date

from ocop_tracker.dossiers.models import Dossier
from ocop_tracker.dossiers.services import open_dossier
from ocop_tracker.extensions import db
from ocop_tracker.products.models import ProductSet
from ocop_tracker.products.services import create_product
from ocop_tracker.registry.services import current_certificate

from ..factories import DAY0, TEA, World, decide, fire, score_marks, upload_required_documents

# Each producer's first-level (commune) officer; both are scored by the provincial council.
OFFICERS = {"producer": "officer", "other_producer": "other_officer"}
# The same marks from every member: totals 62 (3★) and 76 (4★), both within the province's authority.
MARKS = {3: {"A": 25, "B": 17, "C": 20}, 4: {"A": 30, "B": 20, "C": 26}}
SOON = date(2026, 6, 1)  # a day inside every test certificate's validity (signed DAY0, valid through 02/03/2029)


def rate(world: World, dossier: Dossier, *, star: int = 3, producer: str = "producer",
         comment: str | None = None, marks: dict | None = None, day: date = DAY0,
         signed_on: date | None = None) -> Dossier:
    """Submit (and, with a comment, return and resubmit), forward, admit, score and close the round on `day`,
    then record the province's recognition decision signed on `signed_on` (the same day by default)."""
    officer = OFFICERS[producer]
    fire(world, dossier, "submit", producer, day=day)
    if comment:
        fire(world, dossier, "return", officer, day=day, comment=comment)
        fire(world, dossier, "resubmit", producer, day=day)
    fire(world, dossier, "forward", officer, day=day)
    fire(world, dossier, "admit", "province_officer", day=day)
    for seat in ("chair", "member", "member3"):
        score_marks(dossier, actor=world[seat], parts=marks or MARKS[star])
    fire(world, dossier, "close_rating", "chair", day=day)
    assert dossier.state == "awaiting_decision", dossier.state
    decide(world, dossier, day=signed_on or day, number=f"{dossier.id}-{dossier.round_number}/QĐ-UBND")
    db.session.commit()
    return dossier


def certify(world: World, name: str, *, set_number: int = TEA, producer: str = "producer", star: int = 3) -> Dossier:
    """A new product of `producer`, certified at `star` by a decision signed on DAY0."""
    product_set = db.session.scalar(db.select(ProductSet).filter_by(number=set_number))
    product = create_product(actor=world[producer], name=name, product_set=product_set)
    dossier = open_dossier(product, actor=world[producer])
    upload_required_documents(dossier, world[producer])
    return rate(world, dossier, star=star, producer=producer)


def code_of(dossier: Dossier) -> str:
    return current_certificate(dossier).code


def certified_rows(code: str, status: str = "valid") -> list[str]:
    """SQL rows of one certified dossier of product 1 (migration_data.PRODUCT_ROWS), for migration tests."""
    return [("INSERT INTO dossiers (id, product_id, state, version, round_number, dossier_type, rule_set, "
             "created_at, updated_at) VALUES (1, 1, 'certified', 1, 1, 'new', 'qd26-2026-commune', "
             "'2026-01-01', '2026-03-02')"),
            ("INSERT INTO evaluation_rounds (id, dossier_id, number, kind, rule_set, opened_at) "
             "VALUES (1, 1, 1, 'new', 'qd26-2026-commune', '2026-01-01')"),
            ("INSERT INTO certificates (id, code, dossier_id, round_id, star, issued_on, expires_on, recognised_by, "
             f"status) VALUES (1, '{code}', 1, 1, 3, '2026-03-02', '2029-03-02', 'province', '{status}')")]
