"""The migration moves deadline extensions out of the transition history into the activity log, and back."""
from __future__ import annotations

import json
from datetime import datetime

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from ocop_tracker.extensions import db

from ..migration_data import PRODUCT_ROWS, app_at_revision

BEFORE, AFTER = "3a1f0c5e7d21", "5b7e2c9d4a10"
EXTENDED = "first_level_check: 2026-03-23 → 2026-04-03: Chờ kết quả kiểm nghiệm"
HISTORY = [  # (id, event, from, to, actor, at, comment)
    (1, "submit", "draft", "district_review", 2, "2026-03-02 02:00:00", ""),
    (2, "extend_deadline", "district_review", "district_review", 1, "2026-03-20 03:30:00", EXTENDED),
    (3, "return", "district_review", "returned", 1, "2026-03-25 04:00:00", "Thiếu giấy phép"),
    (4, "extend_deadline", "returned", "returned", 1, "2026-03-26 05:00:00", "decision: — → 2026-06-30: Họp bù"),
]


def _rows(sql: str) -> list[tuple]:
    rows = [tuple(row) for row in db.session.execute(text(sql))]
    db.session.rollback()  # no read transaction left open: SQLite would lock the migration out
    return rows


@pytest.fixture()
def old_database(tmp_path):
    app = app_at_revision(tmp_path, BEFORE)
    with app.app_context():
        statements = PRODUCT_ROWS + [
            ("INSERT INTO users (id, username, password_hash, full_name, role, locale, active, created_at, unit_id, "
            "organisation_id) VALUES (1, 'officer', 'x', '', 'officer', 'vi', 1, '2024-01-01', 1, NULL), "
            "(2, 'producer', 'x', '', 'producer', 'vi', 1, '2024-01-01', NULL, 1)"),
            ("INSERT INTO dossiers (id, product_id, state, version, round_number, dossier_type, rule_set, created_at, "
            "updated_at) VALUES (1, 1, 'returned', 3, 1, 'new', 'qd1489-2025-commune', '2026-03-01', '2026-03-25')"),
            ("INSERT INTO deadlines (id, dossier_id, round_number, kind, starts_on, due_on, met_on, created_at) "
            "VALUES (1, 1, 1, 'first_level_check', '2026-03-03', '2026-04-03', '2026-03-25', '2026-03-02')"),
            ("INSERT INTO deadline_extensions (id, deadline_id, previous_due_on, new_due_on, reason, extended_by_id, at) "
            "VALUES (1, 1, '2026-03-23', '2026-04-03', 'Chờ kết quả kiểm nghiệm', 1, '2026-03-20 03:30:00')"),
        ]
        statements += [
            f"INSERT INTO transition_history (id, dossier_id, round_number, event, from_state, to_state, actor_id, "
            f"actor_name, at, comment) VALUES ({i}, 1, 1, '{event}', '{old}', '{new}', {actor}, "
            f"'{'officer' if actor == 1 else 'producer'}', '{at}', '{comment}')"
            for i, event, old, new, actor, at, comment in HISTORY]
        for statement in statements:
            db.session.execute(text(statement))
        db.session.commit()
        yield app


def test_upgrade_moves_the_extensions_with_their_time_actor_and_data(old_database):
    upgrade(revision=AFTER)
    assert _rows("SELECT id, event FROM transition_history ORDER BY id") == [(1, "submit"), (3, "return")]
    moved = _rows("SELECT at, actor_id, actor_name, action, dossier_id, object_type, object_id, data "
                  "FROM activity_log ORDER BY id")
    assert [row[:7] for row in moved] == [
        ("2026-03-20 03:30:00.000000", 1, "officer", "deadlines.extend", 1, "Deadline", 1),
        ("2026-03-26 05:00:00.000000", 1, "officer", "deadlines.extend", 1, "", None)]  # no such extension row
    assert json.loads(moved[0][7]) == {
        "kind": "first_level_check", "from": "2026-03-23", "to": "2026-04-03", "reason": "Chờ kết quả kiểm nghiệm",
        "summary": "23/03/2026 → 03/04/2026: Chờ kết quả kiểm nghiệm", "comment": EXTENDED, "round_number": 1,
        "state": "district_review"}
    assert json.loads(moved[1][7])["summary"] == "— → 30/06/2026: Họp bù"


def test_the_moved_extension_shows_on_the_dossier_page_in_time_order(old_database):
    from ocop_tracker.activity.services import dossier_activity
    from ocop_tracker.dossiers.models import Dossier

    upgrade()  # the head: the model reads every column added since (dossiers.producer_province_id)
    dossier = db.session.get(Dossier, 1)
    assert [(entry.action, entry.at.replace(tzinfo=None)) for entry in dossier_activity(dossier)] == [
        ("deadlines.extend", datetime(2026, 3, 26, 5)), ("deadlines.extend", datetime(2026, 3, 20, 3, 30))]


def test_downgrade_puts_the_same_rows_back(old_database):
    before = _rows("SELECT dossier_id, round_number, event, from_state, to_state, actor_id, actor_name, at, comment "
                   "FROM transition_history ORDER BY at")
    upgrade(revision=AFTER)
    downgrade(revision=BEFORE)
    after = _rows("SELECT dossier_id, round_number, event, from_state, to_state, actor_id, actor_name, at, comment "
                  "FROM transition_history ORDER BY at")
    assert [row[:7] + (row[7][:19], row[8]) for row in after] == [row[:7] + (row[7][:19], row[8]) for row in before]
    assert _rows("SELECT count(*) FROM activity_log") == [(0,)]


def test_downgrade_also_moves_extensions_made_after_the_upgrade(old_database):
    upgrade(revision=AFTER)
    db.session.execute(text(
        "INSERT INTO activity_log (at, actor_id, actor_name, action, dossier_id, object_type, object_id, data) "
        "VALUES ('2026-03-27 01:00:00', 1, 'officer', 'deadlines.extend', 1, 'Deadline', 1, :data)"),
        {"data": json.dumps({"kind": "decision", "from": "2026-06-30", "to": "2026-07-15", "reason": "Lý do"})})
    db.session.commit()
    downgrade(revision=BEFORE)
    assert _rows("SELECT event, from_state, round_number, comment FROM transition_history WHERE at > '2026-03-27'") == [
        ("extend_deadline", "returned", 1, "decision: 2026-06-30 → 2026-07-15: Lý do")]
