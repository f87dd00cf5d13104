"""OCOP certificates: what the public registry shows."""
from __future__ import annotations

from datetime import date

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
    select,
    true,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship, validates

from ..accounts.models import Organisation
from ..extensions import Model
from ..models_base import FOLDED_TEXT, changed_in_flush, trigram_index
from ..products.models import Product

CERTIFICATE_STATUSES = ("valid", "superseded", "expired", "revoked")


class Certificate(Model):
    """A Giấy chứng nhận sản phẩm OCOP: star, validity (through `expires_on`, the last valid day), its decision."""

    __tablename__ = "certificates"
    __table_args__ = (
        CheckConstraint(f"status IN {CERTIFICATE_STATUSES}", name="status"),
        CheckConstraint("star BETWEEN 3 AND 5", name="star"),
        # The registry's count of valid certificates, the dashboard's stars and the expiring list's count read off
        # this index alone on PostgreSQL (index-only scans), not the table.
        Index("ix_certificates_status_expires_on_star", "status", "expires_on", "star",
              postgresql_include=["id", "issued_on", "dossier_id"]),
        # The registry reads certificates alone (issue 13): its words on this pg_trgm index, its order (with what
        # the filters test, so the rows walked in that order are read off the index) and a unit's range on the next.
        trigram_index("ix_certificates_search_names_trgm", "search_names"),
        Index("ix_certificates_current_folded_name", "current", "folded_name", "id",
              postgresql_include=["status", "expires_on", "star", "unit_id", "product_set_id", "search_names"]),
        Index("ix_certificates_unit_id_status", "unit_id", "status",
              postgresql_include=["expires_on", "folded_name", "id", "current"]),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    dossier_id: Mapped[int] = mapped_column(ForeignKey("dossiers.id"), index=True)
    # The dossier's product (one for its whole life) and copies of what the registry filters and orders it by: its
    # names (Product.folded_name, Product.search_names), its set and its producer's unit, kept in step by
    # _keep_registry_entries. The registry's count and page read this table, not every matching product's rows.
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    folded_name: Mapped[str] = mapped_column(FOLDED_TEXT, default="", server_default="")
    search_names: Mapped[str] = mapped_column(Text, default="", server_default="")
    product_set_id: Mapped[int] = mapped_column(ForeignKey("product_sets.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("administrative_units.id"))
    # The dossier's newest certificate, whatever its status (a valid one always is): what "all" lists. Cleared on
    # the one before when services.issue_certificate issues the next.
    current: Mapped[bool] = mapped_column(default=True, server_default=true())
    round_id: Mapped[int] = mapped_column(ForeignKey("evaluation_rounds.id"), unique=True)
    star: Mapped[int]
    issued_on: Mapped[date]
    expires_on: Mapped[date] = mapped_column(index=True)
    recognised_by: Mapped[str] = mapped_column(String(20))
    # Empty only for certificates issued before decisions were recorded (they ran from the rating's close).
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("recognition_decisions.id"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="valid")
    revoked_on: Mapped[date | None]
    grounds: Mapped[str | None] = mapped_column(Text)

    dossier = relationship("Dossier")
    product: Mapped[Product] = relationship()
    decision = relationship("RecognitionDecision")

    @validates("code")
    def _upper_code(self, _key: str, code: str) -> str:
        # Stored upper-case, so a code typed in any case is found by equality on the unique index.
        return code.upper()


@event.listens_for(Session, "after_flush")
def _keep_registry_entries(session: Session, _context) -> None:
    """A product renamed, moved to another set or producer, or a producer renamed or moved to another unit: its
    certificates' copies follow in the same flush, from the rows just written (products.models._keep_search_names)."""
    products = {p.id for p in session.dirty if isinstance(p, Product) and changed_in_flush(
        p, "name", "organisation", "organisation_id", "product_set", "product_set_id")}
    producers = {o.id for o in session.dirty if isinstance(o, Organisation) and changed_in_flush(o, "name", "unit", "unit_id")}
    if not (products or producers):
        return
    product = select(Product).join(Organisation, Product.organisation_id == Organisation.id).where(
        Product.id == Certificate.product_id)
    copies = {"folded_name": Product.folded_name, "search_names": Product.search_names,
              "product_set_id": Product.product_set_id, "unit_id": Organisation.unit_id}
    session.execute(update(Certificate).execution_options(synchronize_session=False).where(Certificate.product_id.in_(
        select(Product.id).where(Product.id.in_(products) | Product.organisation_id.in_(producers))))
        .values({name: product.with_only_columns(column).scalar_subquery() for name, column in copies.items()}))


class ProductNumber(Model):
    """A product's number (STT) in the list a commune keeps for the product codes of QĐ 26/2026 Phụ lục II.

    Taken the first time the product is certified under those codes and kept by its later certificates; the
    unique pair (unit, number) is what stops two certificates issued at once from taking the same number."""

    __tablename__ = "product_numbers"
    __table_args__ = (
        UniqueConstraint("unit_id", "number"),
        UniqueConstraint("product_id", "unit_id"),
        CheckConstraint("number >= 1", name="number"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("administrative_units.id"))
    number: Mapped[int]
