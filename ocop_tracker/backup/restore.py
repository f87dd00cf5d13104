"""Restoring an archive: check and verify everything, then the files, then the database, then count the rows.

Files go back before the database so that, should the database step fail, the worst left behind is files no row
names (the sweep removes them), never rows naming files that are not there.
"""
from __future__ import annotations

import os
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util import CommandError
from flask import Flask

from ..extensions import db
from ..storage import folder_path
from ..storage.folder import fsync_directory
from .archive import extract_verified, open_archive
from .create import uses_object_storage
from .databases import BackupError, restore_postgresql, restore_sqlite, table_counts, tables_in_use


@dataclass
class RestoreResult:
    manifest: dict
    files: int
    file_bytes: int
    needs_upgrade: bool


def _check_revision(app: Flask, revision: str | None) -> bool:
    """Whether the restored database will need `flask db upgrade`; refuses a revision this code does not know."""
    if not revision:
        raise BackupError("the archive's database has no Alembic revision: it was not made by `flask backup`")
    script = ScriptDirectory(app.extensions["migrate"].directory)
    try:
        known = script.get_revision(revision)
    except (CommandError, RevisionError):
        known = None
    if known is None:
        raise BackupError(f"the archive's database is at Alembic revision {revision}, which this code does not "
                          "know: it comes from a newer OCOP Tracker. Install that version (or newer), then restore")
    return revision not in script.get_heads()


def _check_target(app: Flask, manifest: dict, force: bool) -> bool:
    """Refusals that need no reading of the archive's contents; whether an upgrade will be needed."""
    dialect = db.engine.dialect.name
    if manifest["dialect"] != dialect:
        raise BackupError(f"the archive holds a {manifest['dialect']} database but this installation uses {dialect}: "
                          "cross-dialect restore is not supported")
    needs_upgrade = _check_revision(app, manifest.get("alembic_revision"))
    if manifest["files"] and uses_object_storage(app):
        raise BackupError("the archive holds folder-backend files but this installation uses object storage (s3): "
                          "restore into an installation with STORAGE_BACKEND=folder")
    in_use = tables_in_use(db.engine)
    if in_use and not force:
        raise BackupError(f"the target database is not empty ({', '.join(in_use[:6])} hold rows): restore into an "
                          "empty database, or pass --force to replace everything in it")
    return needs_upgrade


def _stage(tar: tarfile.TarFile, manifest: dict, work: Path) -> Path:
    """Extract and verify every member into work; the staged database file."""
    try:
        for entry in manifest["files"]:
            extract_verified(tar, entry, work / entry["name"].removeprefix("files/"))
        database = work / ".database"
        extract_verified(tar, manifest["database"], database)
    except tarfile.TarError as error:
        raise BackupError(f"the archive is damaged or truncated: {error}") from error
    except OSError as error:  # a full disk or a folder it may not write, not the archive's fault
        raise BackupError(f"could not unpack the archive into {work}: {error}") from error
    return database


def _compare_counts(expected: dict[str, int]) -> None:
    found = table_counts(db.engine)
    wrong = [f"{name}: {found.get(name)} rows, the manifest says {count}"
             for name, count in expected.items() if found.get(name) != count]
    if wrong:
        raise BackupError("the restored database differs from the manifest: " + "; ".join(wrong[:10]))


def restore_backup(app: Flask, archive: Path, force: bool = False) -> RestoreResult:
    tar, manifest = open_archive(archive)
    with tar:
        needs_upgrade = _check_target(app, manifest, force)
        root = folder_path(app)
        staging = root if manifest["files"] else Path(app.instance_path)  # on the disk the files go to
        staging.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".ocop-restore-", dir=staging) as work:
            database = _stage(tar, manifest, Path(work))
            for entry in manifest["files"]:
                name = entry["name"].removeprefix("files/")
                os.replace(Path(work) / name, root / name)
            if manifest["files"]:
                fsync_directory(root)
            db.session.remove()
            if manifest["dialect"] == "sqlite":
                restore_sqlite(db.engine, database)
            else:
                restore_postgresql(db.engine, database, manifest["tables"], app.config.get("BACKUP_PG_BIN_DIR", ""))
    _compare_counts(manifest["tables"])
    return RestoreResult(manifest, len(manifest["files"]), sum(entry["size"] for entry in manifest["files"]),
                         needs_upgrade)
