"""Migration tests: an app on its own SQLite file at an older revision, and the rows every such test needs."""
from __future__ import annotations

from flask_migrate import upgrade

from ocop_tracker import create_app

# A province, a product set and one organisation's product, as raw rows (the models may have moved on since).
PRODUCT_ROWS = [
    "INSERT INTO unit_levels (code, rank, name_vi, name_en) VALUES ('province', 1, 'Tỉnh', 'Province')",
    "INSERT INTO administrative_units (id, code, name, level, path) VALUES (1, 'P', 'Hòa Bình', 'province', '/1/')",
    "INSERT INTO product_groups (id, code, name_vi, name_en) VALUES (1, 'food', 'Thực phẩm', 'Food')",
    "INSERT INTO product_sets (id, code, number, group_id, name_vi, name_en) VALUES (1, 'set-11', 11, 1, 'Chè', 'Tea')",
    ("INSERT INTO organisations (id, name, kind, unit_id, created_at, contact_public) "
     "VALUES (1, 'HTX', 'cooperative', 1, '2024-01-01', 0)"),
    ("INSERT INTO products (id, name, description, product_set_id, organisation_id, created_at) "
     "VALUES (1, 'Chè', '', 1, 1, '2024-01-01')"),
]


def app_at_revision(tmp_path, revision: str):
    """A fresh app whose database the migrations brought up to `revision` (call inside its app context)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite3'}", "SECRET_KEY": "x",
                      "TESTING": True}, instance_path=str(tmp_path / "instance"))
    with app.app_context():
        upgrade(revision=revision)
    return app
