"""Taking a backup: the database first, then the files that copy references.

Why this order is consistent without stopping the app: a file is written (and fsynced) before the row naming it
commits, and stored files are never changed, only added, or removed by the sweep once no row names them. So every
file the copied database references was on disk before the copy was taken, and copying the files afterwards finds
them all. Files added after the copy (their rows are not in it) and orphans are skipped, and only counted: the
archive holds exactly the files its database needs. The counts and names come from the very snapshot that was
dumped (SQLite: the copy itself; PostgreSQL: the exported snapshot pg_dump reads).
"""
from __future__ import annotations

import os
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from flask import Flask

from ..extensions import db
from ..storage import folder_path
from ..storage.folder import fsync_directory
from .archive import DATABASE_MEMBERS, FORMAT, FORMAT_VERSION, add_file, add_manifest
from .databases import BackupError, Facts, dump_postgresql, dump_sqlite


def uses_object_storage(app: Flask) -> bool:
    return app.config.get("STORAGE_BACKEND", "folder") == "s3"


@dataclass
class BackupResult:
    path: Path
    manifest: dict
    missing: list[str]


def app_version() -> str:
    try:
        return version("ocop-tracker")
    except PackageNotFoundError:
        return "unknown"


def _dump(dialect: str, dest: Path, app: Flask) -> Facts:
    if dialect == "sqlite":
        return dump_sqlite(db.engine, dest)
    if dialect == "postgresql":
        return dump_postgresql(db.engine, dest, app.config.get("BACKUP_PG_BIN_DIR", ""))
    raise BackupError(f"backups of a {dialect} database are not supported (SQLite and PostgreSQL are)")


def _manifest(app: Flask, dialect: str, facts: Facts, now: datetime) -> dict:
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "created_at": now.isoformat(),
            "app_version": app_version(), "alembic_revision": facts.revision, "dialect": dialect,
            "tables": facts.tables, "storage_backend": "s3" if uses_object_storage(app) else "folder",
            "files_archived": not uses_object_storage(app), "files": []}


def _add_files(tar: tarfile.TarFile, root: Path, facts: Facts, manifest: dict) -> list[str]:
    """Archive the referenced files; the names of referenced files that were not there."""
    missing = []
    for name in sorted(facts.referenced):
        path = root / name
        if not path.is_file():
            missing.append(name)
            continue
        manifest["files"].append(add_file(tar, f"files/{name}", path))
    on_disk = {entry.name for entry in root.iterdir() if entry.is_file()} if root.is_dir() else set()
    manifest["unreferenced_files_skipped"] = len(on_disk - facts.referenced)
    manifest["missing_files"] = missing
    return missing


def create_backup(app: Flask, output: Path) -> BackupResult:
    """Write ocop-backup-<UTC time>.tar into output (0600), under a temporary name until it is complete."""
    output.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC).replace(microsecond=0)
    final = output / f"ocop-backup-{now.strftime('%Y%m%dT%H%M%SZ')}.tar"
    if final.exists():
        raise BackupError(f"{final} exists already: wait a second and run again")
    dialect = db.engine.dialect.name
    with tempfile.TemporaryDirectory(prefix=".ocop-backup-", dir=output) as work:
        dump = Path(work) / DATABASE_MEMBERS.get(dialect, "database")
        facts = _dump(dialect, dump, app)
        manifest = _manifest(app, dialect, facts, now)
        partial = Path(work) / "archive.tar"
        with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:", format=tarfile.PAX_FORMAT) as tar:
                manifest["database"] = add_file(tar, dump.name, dump)
                dump.unlink()  # the archive holds it now: do not keep two copies on the disk
                missing = [] if uses_object_storage(app) else _add_files(tar, folder_path(app), facts, manifest)
                add_manifest(tar, manifest)
            raw.flush()
            os.fsync(raw.fileno())
        try:
            os.link(partial, final)  # never overwrites, and the final name only ever names a complete archive
        except FileExistsError as error:
            raise BackupError(f"{final} exists already: wait a second and run again") from error
    fsync_directory(output)
    return BackupResult(final, manifest, missing)
