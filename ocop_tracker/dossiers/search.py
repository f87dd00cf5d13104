"""The work queue's text search: the folded text each dossier is found by, and the condition that finds it.

`Dossier.search_text` holds the dossier code, its certificate codes, the product and the producer, folded to lower
case without diacritics ("#12 ocop-p-2026-00012-r1 che my tan htx chuoi viba"). It is written here only, by
`refresh_search_text`, which the services call wherever one of those inputs changes; the migration that added the
column fills it for older rows the same way.
"""
from __future__ import annotations

import re
import unicodedata
from typing import cast

from sqlalchemy import ColumnElement, Table, and_, or_
from sqlalchemy.orm.attributes import set_committed_value

from ..accounts.models import Organisation
from ..extensions import db
from ..products.models import Product
from ..registry.models import Certificate
from ..text_rules import folded
from .models import Dossier

SEARCH_TEXT_LENGTH = 600  # the column's size
MAX_WORDS = 8  # a longer query is cut: every word is one more LIKE
_DOSSIER_CODE = re.compile(r"(#|hs-?)?([0-9]{1,9})")  # "#12", "HS-12" (the receipt's code) or "12", folded


def search_text_of(dossier_id: int, certificate_codes: list[str], product: str, organisation: str) -> str:
    """The folded text of one dossier; codes come first so a long product name never cuts them off."""
    return folded(" ".join([f"#{dossier_id}", *certificate_codes, product, organisation]))[:SEARCH_TEXT_LENGTH]


def refresh_search_text(dossier: Dossier) -> str:
    """Write the dossier's search text from its product, producer and certificates (call after a flush).

    Written with a plain UPDATE: the search text is not a change of the dossier, so neither its version (an
    officer's open page stays current) nor its last-change time (the queue's default order) moves.
    """
    # A certificate the same event issues is not flushed yet (the one door writes the dossier in one flush).
    issued = [c.code for c in db.session.new if isinstance(c, Certificate) and c.dossier_id == dossier.id]
    stored = db.session.scalars(db.select(Certificate.code).filter_by(dossier_id=dossier.id)
                                .order_by(Certificate.id.desc()))
    codes = issued + [code for code in stored if code not in issued]
    product = dossier.product
    text = search_text_of(dossier.id, codes, product.name, product.organisation.name)
    table = cast(Table, Dossier.__table__)  # typed as a FromClause; a declarative model's own is a Table
    db.session.execute(table.update().where(table.c.id == dossier.id)
                       .values(search_text=text, updated_at=table.c.updated_at))
    set_committed_value(dossier, "search_text", text)
    return text


def refresh_organisation_search_text(organisation: Organisation) -> None:
    """After a rename: every dossier of the organisation's products (a handful per organisation)."""
    dossiers = db.session.scalars(db.select(Dossier).join(Product, Dossier.product_id == Product.id)
                                  .where(Product.organisation_id == organisation.id))
    for dossier in dossiers:
        refresh_search_text(dossier)


def _word_condition(word: str) -> ColumnElement[bool]:
    """One folded word: anywhere in the text; a dossier code (`#12`, `HS-12` or `12`) also finds that dossier."""
    code = _DOSSIER_CODE.fullmatch(word)
    if code and code.group(1):
        return Dossier.id == int(code.group(2))
    contained = Dossier.search_text.contains(word, autoescape=True)  # % and _ are matched as themselves
    return or_(Dossier.id == int(code.group(2)), contained) if code else contained


def search_condition(query: str) -> ColumnElement[bool] | None:
    """SQL: every word of the query is found in the dossier's search text (None for an empty query)."""
    printable = "".join(ch for ch in query or "" if not unicodedata.category(ch).startswith("C"))  # no NUL to SQL
    words = folded(printable).split()[:MAX_WORDS]
    return and_(*(_word_condition(word) for word in words)) if words else None
