"""Product groups, product sets (the 26 scoring sheets) and products."""
from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import ForeignKey, Index, String, Table, Text, event, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship, validates

from ..accounts.models import Organisation
from ..extensions import Model
from ..models_base import FOLDED_TEXT, created_at_column, trigram_index
from ..text_rules import folded


class ProductGroup(Model):
    """One of the six groups (ngành): food, drinks, herbs, handicrafts, ornamentals, tourism."""

    __tablename__ = "product_groups"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    name_vi: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))


class ProductSet(Model):
    """One of the 26 product sets (bộ sản phẩm), each with its own scoring sheet."""

    __tablename__ = "product_sets"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    number: Mapped[int] = mapped_column(unique=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("product_groups.id"))
    name_vi: Mapped[str] = mapped_column(String(255))
    name_en: Mapped[str] = mapped_column(String(255))

    group: Mapped[ProductGroup] = relationship(lazy="joined")


class Product(Model):
    """A producer's product; it carries one dossier for its whole OCOP life."""

    __tablename__ = "products"
    __table_args__ = (
        trigram_index("ix_products_search_names_trgm", "search_names"),
        # ... and those organisations' products off this one (issue 13).
        Index("ix_products_organisation_id", "organisation_id", postgresql_include=["id"]),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # The name without case or diacritics (text_rules.folded), set with it: the registry's order.
    folded_name: Mapped[str] = mapped_column(FOLDED_TEXT, default="", server_default="", index=True)
    # The folded name and the producer's, joined by a space: what the registry search matches, one LIKE per word
    # on one pg_trgm index. Kept in step with both names at every flush (_keep_search_names).
    search_names: Mapped[str] = mapped_column(Text, default="", server_default="")
    description: Mapped[str] = mapped_column(Text, default="")
    product_set_id: Mapped[int] = mapped_column(ForeignKey("product_sets.id"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    created_at: Mapped[datetime] = created_at_column()

    product_set: Mapped[ProductSet] = relationship()
    organisation: Mapped[Organisation] = relationship()

    @validates("name")
    def _fold_name(self, _key: str, name: str) -> str:
        self.folded_name = folded(name)
        return name


def search_names(product: str, organisation: str) -> str:
    return f"{folded(product)} {folded(organisation)}"


@event.listens_for(Session, "before_flush")
def _keep_search_names(session: Session, _context, _instances) -> None:
    """Whichever name was written — a product's (created, renamed, moved) or a producer's (renamed) — the
    products' search names follow it in the same flush: one place, whatever service wrote the name."""
    for changed in [*session.new, *session.dirty]:
        if isinstance(changed, Product):
            organisation = changed.organisation or session.get(Organisation, changed.organisation_id)
            changed.search_names = search_names(changed.name, organisation.name if organisation else "")
        elif (isinstance(changed, Organisation) and changed.id is not None
              and inspect(changed).attrs.name.history.has_changes()):
            products = cast(Table, Product.__table__)
            session.execute(products.update().where(products.c.organisation_id == changed.id).values(
                search_names=products.c.folded_name.concat(" " + folded(changed.name))))
