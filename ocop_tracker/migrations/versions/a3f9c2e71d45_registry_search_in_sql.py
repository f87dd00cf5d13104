"""registry search in SQL: folded product and organisation names, upper-case certificate codes

The registry search folded every current certificate's product and producer names in Python (57,755 rows at
100,000 dossiers). Products and organisations now store their name folded (`text_rules.folded`: lower case, no
diacritics) beside it, filled here in batches for the rows already there; the search matches them with
`LIKE '%word%'` (a pg_trgm index on PostgreSQL) and sorts by the product's, byte by byte ("C" on PostgreSQL, as
Python and SQLite compare), so the matches and their order stay the same. Certificate codes are stored upper-case
and found by equality on their unique index instead of `upper(code)` over every certificate.

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


def _rewrite(connection, table, column: str, source: str, change) -> None:
    """Set `column` to change(`source`) on every row whose value differs, BATCH rows read at a time by id."""
    rows = sa.table(table, sa.column("id", sa.Integer), *(sa.column(name, sa.String) for name in {source, column}))
    update = rows.update().where(rows.c.id == sa.bindparam("row_id")).values({column: sa.bindparam("value")})
    last = 0
    while True:
        batch = connection.execute(sa.select(rows.c.id, rows.c[source], rows.c[column]).where(rows.c.id > last)
                                   .order_by(rows.c.id).limit(BATCH)).all()
        if not batch:
            return
        changed = [{"row_id": row_id, "value": change(value)} for row_id, value, stored in batch
                   if change(value) != stored]
        if changed:
            connection.execute(update, changed)
        last = batch[-1][0]


def upgrade():
    connection = op.get_bind()
    postgresql = connection.dialect.name == "postgresql"
    if postgresql:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table in ("products", "organisations"):
        op.add_column(table, sa.Column("folded_name", FOLDED_TEXT, server_default="", nullable=False))
        _rewrite(connection, table, "folded_name", "name", folded)
    _rewrite(connection, "certificates", "code", "code", str.upper)
    op.create_index("ix_products_folded_name", "products", ["folded_name"])
    if postgresql:
        for table in ("products", "organisations"):
            op.create_index(f"ix_{table}_folded_name_trgm", table, ["folded_name"], postgresql_using="gin",
                            postgresql_ops={"folded_name": "gin_trgm_ops"})


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        for table in ("products", "organisations"):
            op.drop_index(f"ix_{table}_folded_name_trgm", table_name=table)
    op.drop_index("ix_products_folded_name", table_name="products")
    for table in ("organisations", "products"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("folded_name")
