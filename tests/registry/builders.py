"""Certified dossiers of either test producer, through the real workflow."""
from __future__ import annotations

from datetime import date

from ocop_tracker.dossiers.models import Dossier
from ocop_tracker.dossiers.services import create_dossier
from ocop_tracker.extensions import db
from ocop_tracker.products.models import ProductSet
from ocop_tracker.products.services import create_product
from ocop_tracker.registry.services import current_certificate
from ocop_tracker.reviews.services import record_score

from ..factories import TEA, World, fire, upload_required_documents

# Each producer's reviewing officer and council seats.
SEATS = {"producer": ("officer", ""), "other_producer": ("other_officer", "other_")}
# The same marks from every member: totals 62 (3★) and 76 (4★).
MARKS = {3: {"A": 25, "B": 17, "C": 20}, 4: {"A": 30, "B": 20, "C": 26}}
SOON = date(2026, 6, 1)  # a day inside every test certificate's validity (issued DAY0, 36 months)


def rate(world: World, dossier: Dossier, *, star: int = 3, producer: str = "producer",
         comment: str | None = None, marks: dict | None = None) -> Dossier:
    """Submit (and, with a comment, return and resubmit), forward, score and close the dossier's round."""
    officer, prefix = SEATS[producer]
    fire(world, dossier, "submit", producer)
    if comment:
        fire(world, dossier, "return", officer, comment=comment)
        fire(world, dossier, "resubmit", producer)
    fire(world, dossier, "forward", officer)
    for seat in ("chair", "member", "member3"):
        record_score(dossier, actor=world[prefix + seat], parts=marks or MARKS[star])
    fire(world, dossier, "close_rating", prefix + "chair")
    db.session.commit()
    return dossier


def certify(world: World, name: str, *, set_number: int = TEA, producer: str = "producer", star: int = 3) -> Dossier:
    """A new product of `producer`, certified at `star` on DAY0."""
    product_set = db.session.scalar(db.select(ProductSet).filter_by(number=set_number))
    product = create_product(actor=world[producer], name=name, product_set=product_set)
    dossier = create_dossier(product, actor=world[producer])
    upload_required_documents(dossier, world[producer])
    return rate(world, dossier, star=star, producer=producer)


def code_of(dossier: Dossier) -> str:
    return current_certificate(dossier).code

