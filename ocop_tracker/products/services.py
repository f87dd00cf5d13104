"""Loading the product catalogue and creating products."""
from __future__ import annotations

import unicodedata

from ..accounts.models import User
from ..activity.services import log_action
from ..extensions import db
from ..rules.rulesets import product_catalogue
from ..workflow import NotPermitted
from .models import Product, ProductGroup, ProductSet


def load_product_catalogue() -> int:
    """Insert the shipped groups and sets that are not there yet; returns how many were added."""
    catalogue = product_catalogue()
    groups = {g.code: g for g in db.session.scalars(db.select(ProductGroup))}
    added = 0
    for row in catalogue["groups"]:
        if row["code"] not in groups:
            groups[row["code"]] = ProductGroup(**row)
            db.session.add(groups[row["code"]])
            added += 1
    known = set(db.session.scalars(db.select(ProductSet.code)))
    for row in catalogue["sets"]:
        if row["code"] not in known:
            fields = {k: v for k, v in row.items() if k != "group"}
            db.session.add(ProductSet(group=groups[row["group"]], **fields))
            added += 1
    db.session.flush()
    return added


def normalised_text(text: str | None) -> str:
    """Trimmed and in NFC, so the same Vietnamese word typed on two keyboards is stored the same way."""
    return unicodedata.normalize("NFC", text or "").strip()


def create_product(*, actor: User, name: str, product_set: ProductSet, description: str = "") -> Product:
    """A producer registers a product of their own organisation."""
    if actor.role != "producer" or actor.organisation is None:
        raise NotPermitted("only a producer can register a product")
    product = Product(name=normalised_text(name), description=normalised_text(description), product_set=product_set,
                      organisation=actor.organisation)
    db.session.add(product)
    db.session.flush()
    log_action("product.create", actor=actor, obj=product, data={
        "name": product.name, "product_set": product_set.code, "organisation_id": product.organisation_id})
    return product

