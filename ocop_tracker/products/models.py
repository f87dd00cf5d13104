"""Product groups, product sets (the 26 scoring sheets) and products."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

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
    __table_args__ = (trigram_index("ix_products_folded_name_trgm", "folded_name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    # The name without case or diacritics, set with it: what the registry search matches and sorts by.
    folded_name: Mapped[str] = mapped_column(FOLDED_TEXT, default="", server_default="", index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    product_set_id: Mapped[int] = mapped_column(ForeignKey("product_sets.id"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    created_at: Mapped[datetime] = created_at_column()

    product_set: Mapped[ProductSet] = relationship()
    organisation: Mapped[Organisation] = relationship()

    @validates("name")
    def _fold_name(self, _key: str, name: str) -> str:
        self.folded_name = folded(name)
        return name
