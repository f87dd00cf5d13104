"""The data migration drops first-level checks that resubmissions to the province opened and nothing could meet."""
from __future__ import annotations

from flask_migrate import upgrade
from sqlalchemy import text

from ocop_tracker import create_app
from ocop_tracker.extensions import db

BEFORE = "e9848ec48b87"
SETUP = [
    "INSERT INTO unit_levels (code, rank, name_vi, name_en) VALUES ('province', 1, 'Tỉnh', 'Province')",
    "INSERT INTO administrative_units (id, code, name, level, path) VALUES (1, 'P', 'Phú Thọ', 'province', '/1/')",
    "INSERT INTO product_groups (id, code, name_vi, name_en) VALUES (1, 'food', 'Thực phẩm', 'Food')",
    "INSERT INTO product_sets (id, code, number, group_id, name_vi, name_en) VALUES (1, 'set-11', 11, 1, 'Chè', 'Tea')",
    ("INSERT INTO organisations (id, name, kind, unit_id, created_at, contact_public) "
     "VALUES (1, 'HTX', 'cooperative', 1, '2026-01-01', 0)"),
    *(f"INSERT INTO products (id, name, description, product_set_id, organisation_id, created_at) "
      f"VALUES ({i}, 'Chè {i}', '', 1, 1, '2026-01-01')" for i in (1, 2)),
    *(f"INSERT INTO dossiers (id, product_id, state, version, round_number, dossier_type, rule_set, search_text, "
      f"created_at, updated_at) VALUES ({i}, {i}, '{state}', 5, 1, 'new', 'qd1489-2025-commune', '', "
      f"'2026-03-01', '2026-03-10')" for i, state in ((1, "provincial_review"), (2, "district_review"))),
    # Dossier 1: its own check met when forwarded, and the stray one its resubmission to the province opened.
    ("INSERT INTO deadlines (id, dossier_id, round_number, kind, starts_on, due_on, met_on, created_at) "
     "VALUES (1, 1, 1, 'first_level_check', '2026-03-03', '2026-03-23', '2026-03-05', '2026-03-02')"),
    ("INSERT INTO deadlines (id, dossier_id, round_number, kind, starts_on, due_on, met_on, created_at) "
     "VALUES (2, 1, 1, 'first_level_check', '2026-03-11', '2026-03-31', NULL, '2026-03-10')"),
    ("INSERT INTO deadline_extensions (id, deadline_id, previous_due_on, new_due_on, reason, at) "
     "VALUES (1, 2, '2026-03-31', '2026-04-10', 'Lý do', '2026-03-12')"),
    # Dossier 2: at the first level, its open check is right.
    ("INSERT INTO deadlines (id, dossier_id, round_number, kind, starts_on, due_on, met_on, created_at) "
     "VALUES (3, 2, 1, 'first_level_check', '2026-03-11', '2026-03-31', NULL, '2026-03-10')"),
]


def test_upgrade_drops_only_open_first_level_checks_of_dossiers_past_the_first_level(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'old.sqlite3'}", "SECRET_KEY": "x",
                      "TESTING": True}, instance_path=str(tmp_path / "instance"))
    with app.app_context():
        upgrade(revision=BEFORE)
        for statement in SETUP:
            db.session.execute(text(statement))
        db.session.commit()
        upgrade()
        kept = db.session.execute(text("SELECT id FROM deadlines ORDER BY id")).scalars().all()
        extensions = db.session.execute(text("SELECT count(*) FROM deadline_extensions")).scalar()
        assert (kept, extensions) == ([1, 3], 0)
        db.engine.dispose()
