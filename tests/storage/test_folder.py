"""What only the folder backend does: the durable write, where the folder is, old files by their own time."""
from __future__ import annotations

import os
import stat
import time

import pytest

from ocop_tracker.extensions import db
from ocop_tracker.storage import current_storage, folder_path
from ocop_tracker.storage.folder import TEMP_PREFIX

from ..conftest import _make_app
from ..documents.helpers import PDF, upload
from ..factories import new_dossier


@pytest.fixture()
def app_config() -> dict:
    return {"STORAGE_BACKEND": "folder"}


@pytest.fixture()
def fsyncs(monkeypatch):
    """Each os.fsync and os.replace, in order: 'file', 'directory' or 'replace'."""
    calls = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(descriptor):
        calls.append("directory" if stat.S_ISDIR(os.fstat(descriptor).st_mode) else "file")
        real_fsync(descriptor)

    def replace(source, target):
        calls.append("replace")
        real_replace(source, target)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    return calls


def test_an_upload_syncs_the_file_then_renames_then_syncs_the_folder(app, world, login_as, fsyncs):
    dossier = new_dossier(world, documents=False)
    db.session.commit()
    assert upload(login_as("producer"), dossier).status_code == 302
    assert fsyncs == ["file", "replace", "directory"]
    assert [entry for entry in os.listdir(current_storage().root) if entry.startswith(TEMP_PREFIX)] == []


def test_a_failed_write_leaves_no_temporary_file(app):
    root = current_storage().root
    (root / "taken.pdf").mkdir()  # the rename onto a directory fails
    with pytest.raises(OSError):
        current_storage().put("taken.pdf", PDF)
    assert os.listdir(root) == ["taken.pdf"] and (root / "taken.pdf").is_dir()


def test_the_folder_is_the_instance_uploads_unless_set(app, database_url, tmp_path):
    assert current_storage().root == folder_path(app) == tmp_path / "instance" / "uploads"
    for setting, expected in (("files", tmp_path / "other" / "files"), (str(tmp_path / "shared"), tmp_path / "shared")):
        other = _make_app(database_url, tmp_path / "other", STORAGE_FOLDER=setting)
        assert folder_path(other) == expected and expected.is_dir()  # created at start-up
        other.extensions["ocop_storage"].put("a.pdf", PDF)
        assert (expected / "a.pdf").read_bytes() == PDF
        other.extensions["ocop_storage"].ping()


def test_an_unreferenced_file_older_than_the_grace_period_is_swept(app):
    storage = current_storage()
    storage.put("old.pdf", b"old")
    storage.put("new.pdf", b"new")
    two_days_ago = time.time() - 48 * 3600
    os.utime(storage.root / "old.pdf", (two_days_ago, two_days_ago))
    result = app.test_cli_runner().invoke(args=["sweep-files"])
    assert result.output == "folder storage: 2 files, 0 referenced, 1 within 24 hours, 1 unreferenced deleted.\n"
    assert sorted(os.listdir(storage.root)) == ["new.pdf"]
