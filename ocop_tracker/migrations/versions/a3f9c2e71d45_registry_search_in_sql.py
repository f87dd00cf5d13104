"""registry search in SQL: folded product names and search names, upper-case certificate codes

The registry search folded every current certificate's product and producer names in Python (57,755 rows at
100,000 dossiers). Products now store their name folded (`text_rules.folded`: lower case, no diacritics), the
registry's order (byte by byte, "C" on PostgreSQL, as Python and SQLite compare), and `search_names`, the folded
product name and producer name joined by a space, which the search matches with `LIKE '%word%'` (a pg_trgm index
on PostgreSQL): the same matches and order as before. Both are filled here in batches for the rows already there.
Certificate codes are stored upper-case and found by equality on their unique index instead of `upper(code)`.

The downgrade drops the columns and indexes; codes stay upper-case (the case they were written in is not kept).

Revision ID: a3f9c2e71d45
Revises: 7c4d1e9a2b60
Create Date: 2026-12-05 12:00:00

"""
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = 'a3f9c2e71d45'
down_revision = '7c4d1e9a2b60'
branch_labels = None
depends_on = None

BATCH = 5000
FOLDED_TEXT = sa.Text().with_variant(sa.Text(collation="C"), "postgresql")


def folded(text):
    """text_rules.folded as of this revision (copied: what the rows hold must not change with later code)."""
    decomposed = unicodedata.normalize("NFD", (text or "").casefold().replace("đ", "d"))
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


products = sa.table("products", sa.column("id", sa.Integer), sa.column("name", sa.String),
                    sa.column("organisation_id", sa.Integer), sa.column("folded_name", sa.Text),
                    sa.column("search_names", sa.Text))
organisations = sa.table("organisations", sa.column("id", sa.Integer), sa.column("name", sa.String))
certificates = sa.table("certificates", sa.column("id", sa.Integer), sa.column("code", sa.String))


def _batches(connection, statement, key):
    """The rows of `statement`, BATCH at a time in the order of `key` (an id column)."""
    last = 0
    while True:
        batch = connection.execute(statement.where(key > last).order_by(key).limit(BATCH)).all()
        if not batch:
            return
        yield batch
        last = batch[-1][0]


def _fill_products(connection) -> None:
    update = products.update().where(products.c.id == sa.bindparam("row_id")).values(
        folded_name=sa.bindparam("folded"), search_names=sa.bindparam("names"))
    rows = sa.select(products.c.id, products.c.name, organisations.c.name).join(
        organisations, organisations.c.id == products.c.organisation_id)
    for batch in _batches(connection, rows, products.c.id):
        connection.execute(update, [{"row_id": row_id, "folded": folded(name),
                                     "names": f"{folded(name)} {folded(producer)}"}
                                    for row_id, name, producer in batch])


def _upper_case_codes(connection) -> None:
    update = certificates.update().where(certificates.c.id == sa.bindparam("row_id")).values(
        code=sa.bindparam("upper"))
    for batch in _batches(connection, sa.select(certificates.c.id, certificates.c.code), certificates.c.id):
        changed = [{"row_id": row_id, "upper": code.upper()} for row_id, code in batch if code != code.upper()]
        if changed:
            connection.execute(update, changed)


def upgrade():
    connection = op.get_bind()
    postgresql = connection.dialect.name == "postgresql"
    if postgresql:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.add_column("products", sa.Column("folded_name", FOLDED_TEXT, server_default="", nullable=False))
    op.add_column("products", sa.Column("search_names", sa.Text(), server_default="", nullable=False))
    _fill_products(connection)
    _upper_case_codes(connection)
    op.create_index("ix_products_folded_name", "products", ["folded_name"])
    if postgresql:
        op.create_index("ix_products_search_names_trgm", "products", ["search_names"], postgresql_using="gin",
                        postgresql_ops={"search_names": "gin_trgm_ops"})


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_products_search_names_trgm", table_name="products")
    op.drop_index("ix_products_folded_name", table_name="products")
    with op.batch_alter_table("products") as batch_op:
        batch_op.drop_column("search_names")
        batch_op.drop_column("folded_name")
