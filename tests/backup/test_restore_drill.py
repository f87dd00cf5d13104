"""The restore drill: back up while another session keeps uploading, restore into a fresh installation, compare."""
from __future__ import annotations

import io
import tarfile
import threading
import time
from pathlib import Path

import pytest

from ocop_tracker.activity.models import ActivityRecord
from ocop_tracker.decisions.models import RecognitionDecision
from ocop_tracker.decisions.services import attach_decision_file
from ocop_tracker.documents.models import Document
from ocop_tracker.documents.samples import minimal_pdf
from ocop_tracker.extensions import db

from ..factories import PASSWORD, decide, dossier_in_state, new_dossier
from .conftest import counts_of, manifest_of, run

pytestmark = pytest.mark.committing  # the backup reads the database through its own connections

TIMEOUT = 60


def _keep_uploading(app, dossier_id: int, stop: threading.Event, done: list[int], errors: list[str]) -> None:
    """Runs in a thread: a producer's browser uploading new label versions until told to stop."""
    with app.app_context():
        browser = app.test_client()
        browser.post("/login", data={"username": "producer", "password": PASSWORD})
        while not stop.is_set() and not errors:
            n = len(done)
            response = browser.post(f"/dossiers/{dossier_id}/documents", content_type="multipart/form-data",
                                    data={"kind": "label", "file": (io.BytesIO(minimal_pdf(f"label {n}")), "n.pdf")})
            if response.status_code != 302:
                errors.append(f"{response.status_code}: {response.get_data(as_text=True)[:300]}")
            done.append(n)
        db.session.remove()


def _wait_for(done: list[int], count: int) -> None:
    deadline = time.monotonic() + TIMEOUT
    while len(done) < count and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(done) >= count, "the writer made no progress"


def _populate(app, world) -> int:
    """Dossiers in several states with their documents and a decision with its PDF; the draft to upload into."""
    for state in ("provincial_review", "certified", "returned"):
        dossier_in_state(world, state)
    decided = dossier_in_state(world, "awaiting_decision")
    decide(world, decided)
    decision = db.session.scalar(db.select(RecognitionDecision))
    attach_decision_file(decision, actor=world["province_officer"], data=minimal_pdf("QĐ"), filename="qd.pdf")
    draft_id = new_dossier(world, name="Mứt chuối").id
    db.session.commit()  # and no further reads: on SQLite each transaction takes the write lock up front
    app.config["DOCUMENT_MAX_VERSIONS"] = 100_000  # the writer adds versions of one kind as fast as it can
    return draft_id


def _stored_names(app) -> set[str]:
    with app.app_context():
        names = set(db.session.scalars(db.select(Document.stored_name)))
        names |= set(db.session.scalars(db.select(RecognitionDecision.file_stored_name).where(
            RecognitionDecision.file_stored_name.is_not(None))))
        return names


def test_backup_under_concurrent_uploads_restores_counts_and_files(app, world, target, tmp_path):
    draft_id = _populate(app, world)
    stop, done, errors = threading.Event(), [], []
    writer = threading.Thread(target=_keep_uploading, args=(app, draft_id, stop, done, errors))
    writer.start()
    try:
        _wait_for(done, 3)
        backed_up = run(app, "backup", "--output", str(tmp_path / "backups"))
        after_backup = len(done)
        _wait_for(done, after_backup + 3)
    finally:
        stop.set()
        writer.join(TIMEOUT)
    assert not errors and backed_up.exit_code == 0, (errors, backed_up.output)
    archive = next((tmp_path / "backups").glob("ocop-backup-*.tar"))
    assert archive.stat().st_mode & 0o777 == 0o600
    manifest = manifest_of(archive)
    live = counts_of(app)
    # Taken mid-stream: later uploads are not in it, earlier ones are.
    assert live["documents"] > manifest["tables"]["documents"] > live["documents"] - len(done)
    assert manifest["unreferenced_files_skipped"] >= 1  # the files of uploads committed after the snapshot

    restored = run(target, "restore", str(archive))
    assert restored.exit_code == 0, restored.output
    assert counts_of(target) == manifest["tables"]
    names = _stored_names(target)
    assert len(names) == len(manifest["files"]) == manifest["tables"]["documents"] + 1  # + the decision's PDF
    source_root, target_root = Path(app.instance_path) / "uploads", Path(target.instance_path) / "uploads"
    assert {path.name for path in target_root.iterdir()} == names
    for name in names:
        assert (target_root / name).read_bytes() == (source_root / name).read_bytes()
    _restored_installation_works(target, draft_id, manifest["tables"]["documents"])


def _restored_installation_works(target, draft_id: int, documents: int) -> None:
    """The restored installation signs in and takes an upload (its id sequences came back too)."""
    browser = target.test_client()
    assert browser.post("/login", data={"username": "producer", "password": PASSWORD}).status_code == 302
    response = browser.post(f"/dossiers/{draft_id}/documents", content_type="multipart/form-data",
                            data={"kind": "photo", "file": (io.BytesIO(minimal_pdf("after restore")), "a.pdf")})
    assert response.status_code == 302
    assert counts_of(target)["documents"] == documents + 1


def _damage(archive: Path, dest: Path) -> Path:
    """A copy with one byte of a stored file flipped."""
    data = bytearray(archive.read_bytes())
    with tarfile.open(archive) as tar:
        member = next(m for m in tar.getmembers() if m.name.startswith("files/"))
    data[member.offset_data] ^= 0xFF
    dest.write_bytes(bytes(data))
    return dest


def test_damaged_or_truncated_archive_refused_with_nothing_changed(app, world, target, tmp_path):
    _populate(app, world)
    assert run(app, "backup", "--output", str(tmp_path)).exit_code == 0
    archive = next(tmp_path.glob("ocop-backup-*.tar"))
    before = counts_of(target)
    damaged = run(target, "restore", str(_damage(archive, tmp_path / "damaged.tar")))
    assert damaged.exit_code != 0 and "damaged" in damaged.output and "sha256" in damaged.output
    truncated = tmp_path / "truncated.tar"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    cut = run(target, "restore", str(truncated))
    assert cut.exit_code != 0 and "damaged or truncated" in cut.output
    assert counts_of(target) == before
    uploads = Path(target.instance_path) / "uploads"
    assert not uploads.exists() or not any(uploads.iterdir())


def test_non_empty_target_refused_without_force(app, world, target, tmp_path):
    _populate(app, world)
    assert run(app, "backup", "--output", str(tmp_path)).exit_code == 0
    archive = next(tmp_path.glob("ocop-backup-*.tar"))
    assert run(target, "restore", str(archive)).exit_code == 0
    with target.app_context():  # the restored installation changes after the restore
        db.session.execute(db.delete(ActivityRecord))
        db.session.commit()
    changed = counts_of(target)
    refused = run(target, "restore", str(archive))
    assert refused.exit_code != 0 and "not empty" in refused.output and "--force" in refused.output
    assert counts_of(target) == changed
    forced = run(target, "restore", "--force", str(archive))
    assert forced.exit_code == 0, forced.output
    assert counts_of(target) == manifest_of(archive)["tables"] != changed
