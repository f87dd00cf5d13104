"""`flask sweep-files` on each backend: old unreferenced files go, new ones and every referenced one stay."""
from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from sqlalchemy import event

from ocop_tracker.documents.models import Document
from ocop_tracker.documents.samples import minimal_pdf
from ocop_tracker.extensions import db
from ocop_tracker.storage import current_storage, sweep
from ocop_tracker.storage.sweep import sweep_files

from .helpers import api_call, decision_with_file, remove_storage, stored_names

ORPHAN = "f" * 32 + ".pdf"


def _files(world, client) -> tuple[set[str], set[str]]:
    """(referenced, unreferenced): a dossier's documents and its decision's PDF; a stray file and the decision's
    first PDF, replaced by a second one."""
    decision = decision_with_file(world, client)
    replaced = decision.file_stored_name
    again = api_call(client, "province_officer", "PUT", f"/decisions/{decision.id}/file",
                     data={"file": (io.BytesIO(minimal_pdf("second signed copy")), "qđ.pdf")})
    assert again.status_code == 200
    current_storage().put(ORPHAN, b"a file whose row never committed")
    db.session.expire_all()
    referenced = set(db.session.scalars(db.select(Document.stored_name))) | {decision.file_stored_name}
    assert replaced not in referenced and len(referenced) > 2 and stored_names() == referenced | {replaced, ORPHAN}
    return referenced, {replaced, ORPHAN}


def _sweep(app, *args: str) -> str:
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["sweep-files", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_old_unreferenced_files_are_deleted_and_referenced_ones_kept(app, world, client):
    referenced, _orphans = _files(world, client)
    output = _sweep(app, "--grace-hours", "0")
    assert stored_names() == referenced
    kind = current_storage().kind
    assert output == (f"{kind} storage: {len(referenced) + 2} files, {len(referenced)} referenced, "
                      f"0 within 0 hours, 2 unreferenced deleted.\n")


def test_new_unreferenced_files_are_kept_within_the_grace_period(app, world, client):
    referenced, orphans = _files(world, client)
    output = _sweep(app)  # SWEEP_GRACE_HOURS: 24
    assert stored_names() == referenced | orphans
    assert output.endswith(f"{len(referenced) + 2} within 24 hours, 0 unreferenced deleted.\n")


def test_a_dry_run_deletes_nothing_and_lists_what_it_would(app, world, client):
    referenced, orphans = _files(world, client)
    output = _sweep(app, "--grace-hours", "0", "--dry-run")
    assert stored_names() == referenced | orphans
    assert {line.removeprefix("would delete ") for line in output.splitlines()[:-1]} == orphans
    assert output.endswith("2 unreferenced would be deleted (dry run).\n")


def test_the_grace_period_counts_from_each_files_own_time(app, world, client):
    referenced, orphans = _files(world, client)
    now = datetime.now(UTC)
    kept = sweep_files(grace_hours=24, now=now + timedelta(hours=23))
    assert stored_names() == referenced | orphans and kept.orphans == [] and kept.recent == len(referenced) + 2
    swept = sweep_files(grace_hours=24, now=now + timedelta(hours=25))
    assert stored_names() == referenced and set(swept.orphans) == orphans and swept.referenced == len(referenced)


def test_the_database_is_asked_once_per_column_per_batch(app, world, client, monkeypatch):
    referenced, orphans = _files(world, client)
    for number in range(25):
        current_storage().put(f"{number:032x}.png", b"stray")
    monkeypatch.setattr(sweep, "BATCH", 10)
    statements = []
    listener = lambda *args: statements.append(args[2])
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        report = sweep_files(grace_hours=0, now=datetime.now(UTC) + timedelta(seconds=2))
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    files = len(referenced) + len(orphans) + 25
    batches = -(-files // 10)
    assert report.stored == files and len(report.orphans) == 27 and stored_names() == referenced
    assert len([sql for sql in statements if sql.lstrip().upper().startswith("SELECT")]) == 2 * batches


def test_an_unreachable_storage_stops_the_sweep_with_a_message(app, app_config, request):
    remove_storage(app_config, request)
    result = app.test_cli_runner().invoke(args=["sweep-files"])
    assert result.exit_code == 1 and result.output.startswith("Error: sweep stopped: ")
