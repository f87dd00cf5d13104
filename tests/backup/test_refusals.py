"""What backup and restore refuse, and say: another dialect, a newer schema, unsafe names, missing tools and files."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import make_url

from ocop_tracker.backup.databases import BackupError, find_tool, libpq_target

from ..factories import dossier_in_state
from .conftest import counts_of, manifest_of, rewrite_manifest, run

pytestmark = pytest.mark.committing  # the backup reads the database through its own connections


@pytest.fixture()
def archive(app, world, tmp_path) -> Path:
    dossier_in_state(world, "provincial_review")
    result = run(app, "backup", "--output", str(tmp_path / "backups"))
    assert result.exit_code == 0, result.output
    return next((tmp_path / "backups").glob("*.tar"))


def _refused(target, archive: Path, *words: str) -> None:
    before = counts_of(target)
    result = run(target, "restore", str(archive))
    assert result.exit_code != 0
    for word in words:
        assert word in result.output, result.output
    assert counts_of(target) == before
    uploads = Path(target.instance_path) / "uploads"
    assert not uploads.exists() or not any(uploads.iterdir())


def test_restore_of_another_dialect_refused(target, archive, tmp_path):
    other = "postgresql" if manifest_of(archive)["dialect"] == "sqlite" else "sqlite"
    _refused(target, rewrite_manifest(archive, tmp_path / "other.tar", dialect=other), "cross-dialect", other)


def test_restore_of_a_newer_schema_refused(target, archive, tmp_path):
    newer = rewrite_manifest(archive, tmp_path / "newer.tar", alembic_revision="9999feedbeef")
    _refused(target, newer, "9999feedbeef", "newer OCOP Tracker")


def test_manifest_naming_a_path_refused(target, archive, tmp_path):
    files = manifest_of(archive)["files"]
    unsafe = [{**files[0], "name": "files/../../config.py"}, *files[1:]]
    _refused(target, rewrite_manifest(archive, tmp_path / "unsafe.tar", files=unsafe), "unsafe file name")


def test_manifest_without_row_counts_refused(target, archive, tmp_path):
    _refused(target, rewrite_manifest(archive, tmp_path / "short.tar", drop=("tables",)), "damaged manifest", "tables")


def test_restore_into_object_storage_refused(target, archive):
    target.config["STORAGE_BACKEND"] = "s3"
    _refused(target, archive, "object storage")


def test_backup_with_object_storage_holds_no_files(app, world, tmp_path):
    dossier_in_state(world, "provincial_review")
    app.config["STORAGE_BACKEND"] = "s3"
    result = run(app, "backup", "--output", str(tmp_path))
    assert result.exit_code == 0 and "versioning and replication" in result.output
    manifest = manifest_of(next(tmp_path.glob("*.tar")))
    assert manifest["files"] == [] and manifest["files_archived"] is False and manifest["tables"]["documents"] > 0


def test_object_storage_database_restores_alone(app, world, target, tmp_path):
    dossier_in_state(world, "provincial_review")
    app.config["STORAGE_BACKEND"] = target.config["STORAGE_BACKEND"] = "s3"
    assert run(app, "backup", "--output", str(tmp_path / "backups")).exit_code == 0
    archive = next((tmp_path / "backups").glob("*.tar"))
    restored = run(target, "restore", str(archive))
    assert restored.exit_code == 0 and "restore the bucket too" in restored.output
    assert counts_of(target) == manifest_of(archive)["tables"]
    uploads = Path(target.instance_path) / "uploads"  # made empty at start-up by the folder backend
    assert not uploads.exists() or list(uploads.iterdir()) == []


def test_missing_referenced_file_reported(app, world, tmp_path):
    dossier_in_state(world, "provincial_review")
    lost = min((Path(app.instance_path) / "uploads").iterdir())
    lost.unlink()
    result = run(app, "backup", "--output", str(tmp_path))
    assert result.exit_code != 0 and "archive is written" in result.output and lost.name in result.output
    manifest = manifest_of(next(tmp_path.glob("*.tar")))
    assert manifest["missing_files"] == [lost.name] and lost.name not in {f["name"] for f in manifest["files"]}


def test_no_temporary_name_left_behind(app, world, tmp_path):
    dossier_in_state(world, "provincial_review")
    assert run(app, "backup", "--output", str(tmp_path / "backups")).exit_code == 0
    names = [path.name for path in (tmp_path / "backups").iterdir()]
    assert len(names) == 1 and names[0].startswith("ocop-backup-") and names[0].endswith("Z.tar")


def test_password_goes_to_the_environment_not_argv():
    conninfo, env = libpq_target(make_url("postgresql+psycopg://ocop:s3cr%40t@db.example:5433/o%27cop?sslmode=require"))
    assert conninfo == "host='db.example' port='5433' user='ocop' dbname='o\\'cop' sslmode='require'"
    assert env["PGPASSWORD"] == "s3cr@t" and "s3cr" not in conninfo


def test_pg_tools_missing_or_too_old_refused(tmp_path):
    with pytest.raises(BackupError, match="not found"):
        find_tool("pg_dump_absent", 15, str(tmp_path))
    with pytest.raises(BackupError, match="older than the PostgreSQL 99 server"):
        find_tool("pg_dump", 99)
