"""registry search on the certificate row: its product, and copies of the product's names, set and producer's unit

The registry's count read every matching product's dossier and certificate (6,348 products for "che" at 100,000
dossiers, 18,000 pages). Certificates now carry their product (a dossier keeps one for its whole life) and copies of
what the registry filters and orders by — `products.folded_name`, `products.search_names`, `products.product_set_id`,
the producer's `unit_id` — kept in step by registry.models._keep_registry_entries, with a pg_trgm index on the names,
`(current, folded_name, id)` for the order and `(unit_id, status)` for a unit: the search reads certificates alone.
`current` marks each dossier's newest certificate (what "all" lists), cleared when the next is issued.
Filled here in one UPDATE from the rows already there (43,000 certificates at 100,000: a few seconds).

Revision ID: e8388d1281e3
Revises: ddfb36d9850d
Create Date: 2026-12-06 05:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'e8388d1281e3'
down_revision = 'ddfb36d9850d'
branch_labels = None
depends_on = None

FOLDED_TEXT = sa.Text().with_variant(sa.Text(collation="C"), "postgresql")

certificates = sa.table("certificates", sa.column("id", sa.Integer), sa.column("current", sa.Boolean),
                        sa.column("dossier_id", sa.Integer), sa.column("product_id", sa.Integer),
                        sa.column("folded_name", sa.Text), sa.column("search_names", sa.Text),
                        sa.column("product_set_id", sa.Integer), sa.column("unit_id", sa.Integer))
dossiers = sa.table("dossiers", sa.column("id", sa.Integer), sa.column("product_id", sa.Integer))
products = sa.table("products", sa.column("id", sa.Integer), sa.column("folded_name", sa.Text),
                    sa.column("search_names", sa.Text), sa.column("product_set_id", sa.Integer),
                    sa.column("organisation_id", sa.Integer))
organisations = sa.table("organisations", sa.column("id", sa.Integer), sa.column("unit_id", sa.Integer))
COPIES = (("product_id", products.c.id), ("folded_name", products.c.folded_name),
          ("search_names", products.c.search_names), ("product_set_id", products.c.product_set_id),
          ("unit_id", organisations.c.unit_id))
FOREIGN_KEYS = (("product_id", "products"), ("product_set_id", "product_sets"), ("unit_id", "administrative_units"))


def _fill(connection) -> None:
    """Each certificate's copies in one UPDATE (one new version of each row), by correlated subqueries: the same SQL
    on both databases."""
    product = (sa.select(products).join(dossiers, dossiers.c.product_id == products.c.id)
               .join(organisations, organisations.c.id == products.c.organisation_id)
               .where(dossiers.c.id == certificates.c.dossier_id))
    connection.execute(certificates.update().values(
        {name: product.with_only_columns(column).scalar_subquery() for name, column in COPIES}))
    newer = certificates.alias("newer")
    connection.execute(certificates.update().where(sa.exists().where(
        newer.c.dossier_id == certificates.c.dossier_id, newer.c.id > certificates.c.id)).values(current=False))


def upgrade():
    with op.batch_alter_table("certificates") as batch_op:
        for name, _table in FOREIGN_KEYS:
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("folded_name", FOLDED_TEXT, server_default="", nullable=False))
        batch_op.add_column(sa.Column("search_names", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("current", sa.Boolean(), server_default=sa.true(), nullable=False))
    _fill(op.get_bind())
    with op.batch_alter_table("certificates") as batch_op:
        for name, table in FOREIGN_KEYS:
            batch_op.alter_column(name, existing_type=sa.Integer(), nullable=False)
            batch_op.create_foreign_key(batch_op.f(f"fk_certificates_{name}_{table}"), table, [name], ["id"])
        batch_op.create_index(batch_op.f("ix_certificates_product_id"), ["product_id"], unique=False)
        batch_op.create_index("ix_certificates_current_folded_name", ["current", "folded_name", "id"], unique=False,
                              postgresql_include=["status", "expires_on", "star", "unit_id", "product_set_id",
                                                  "search_names"])
        batch_op.create_index("ix_certificates_unit_id_status", ["unit_id", "status"], unique=False,
                              postgresql_include=["expires_on", "folded_name", "id", "current"])
    if op.get_bind().dialect.name == "postgresql":
        op.create_index("ix_certificates_search_names_trgm", "certificates", ["search_names"],
                        postgresql_using="gin", postgresql_ops={"search_names": "gin_trgm_ops"})


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_certificates_search_names_trgm", table_name="certificates")
    with op.batch_alter_table("certificates") as batch_op:
        batch_op.drop_index("ix_certificates_unit_id_status")
        batch_op.drop_index("ix_certificates_current_folded_name")
        batch_op.drop_index(batch_op.f("ix_certificates_product_id"))
        for name, table in FOREIGN_KEYS:
            batch_op.drop_constraint(batch_op.f(f"fk_certificates_{name}_{table}"), type_="foreignkey")
            batch_op.drop_column(name)
        batch_op.drop_column("search_names")
        batch_op.drop_column("folded_name")
        batch_op.drop_column("current")
