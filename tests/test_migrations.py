"""The procedure migration keeps every filed round's rules and history: old-shape frozen rules become the new
shape of the same rule set, open dossiers learn their level, scores their council; no state moves."""
from __future__ import annotations

import json

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from ocop_tracker.extensions import db

from .migration_data import PRODUCT_ROWS, app_at_revision

BEFORE = "f40ffb7bba95"
OLD_QD148 = {"code": "qd148-2023-district", "review_level": "district", "council_level": "district", "quorum": 3,
             "part_maxima": {"A": 40, "B": 25, "C": 35}}


def _row(sql: str, **params):
    return db.session.execute(text(sql), params).one()


@pytest.fixture()
def old_database(tmp_path):
    app = app_at_revision(tmp_path, BEFORE)
    with app.app_context():
        statements = PRODUCT_ROWS + [
            "INSERT INTO councils (id, unit_id, name) VALUES (1, 1, 'Hội đồng')",
            ("INSERT INTO dossiers (id, product_id, state, version, round_number, dossier_type, rule_set, rules_snapshot, "
            "rating_council_id, created_at, updated_at) VALUES (1, 1, 'star_rating', 3, 1, 'new', 'qd148-2023-district', "
            ":snapshot, 1, '2024-03-01', '2024-03-10')"),
            ("INSERT INTO evaluation_rounds (id, dossier_id, number, kind, rule_set, opened_at, submitted_on) "
            "VALUES (1, 1, 1, 'new', 'qd148-2023-district', '2024-03-01', '2024-03-02')"),
            ("INSERT INTO users (id, username, password_hash, full_name, role, locale, mail_preference, is_unit_head, "
            "active, created_at) VALUES (1, 'member', 'x', '', 'council_member', 'vi', 'immediate', 0, 1, '2024-01-01')"),
            ("INSERT INTO scores (id, round_id, member_id, part_a, part_b, part_c, submitted_at) "
            "VALUES (1, 1, 1, 25, 17, 20, '2024-03-09')"),
        ]
        for statement in statements:
            db.session.execute(text(statement), {"snapshot": json.dumps(OLD_QD148)})
        db.session.commit()
        yield app


def test_upgrade_keeps_the_round_on_its_rule_set_in_the_new_shape(old_database):
    upgrade()
    state, version, level, snapshot = _row("SELECT state, version, level, rules_snapshot FROM dossiers WHERE id = 1")
    snapshot = json.loads(snapshot)
    assert (state, version, level) == ("star_rating", 3, "district")
    assert snapshot["code"] == "qd148-2023-district" and snapshot["first_level"] == "district"
    assert [item["level"] for item in snapshot["levels"]] == ["district", "province", "central"]
    assert _row("SELECT level FROM evaluation_rounds WHERE id = 1") == ("district",)
    assert _row("SELECT council_id FROM scores WHERE id = 1") == (1,)


def test_downgrade_refuses_while_a_dossier_is_in_a_new_state(old_database):
    upgrade()
    db.session.execute(text("UPDATE dossiers SET state = 'awaiting_decision' WHERE id = 1"))
    db.session.commit()
    with pytest.raises(SystemExit):  # Flask-Migrate reports the migration's refusal and exits
        downgrade(revision=BEFORE)
    db.session.rollback()
    assert _row("SELECT state FROM dossiers WHERE id = 1") == ("awaiting_decision",)
    assert _row("SELECT count(*) FROM evaluation_batches") == (0,)  # the new tables are still there
