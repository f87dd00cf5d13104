"""`flask backup` and `flask restore`."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app

from .create import create_backup
from .databases import BackupError
from .restore import restore_backup

OBJECT_STORAGE_NOTE = ("Files are in object storage (STORAGE_BACKEND=s3) and are not in this archive: protect the "
                       "bucket with its own versioning and replication.")


def _database_line(manifest: dict) -> str:
    return (f"  {manifest['dialect']} database at revision {manifest['alembic_revision']}, "
            f"{sum(manifest['tables'].values())} rows in {len(manifest['tables'])} tables")


def register(app: Flask) -> None:
    @app.cli.command("backup")
    @click.option("--output", type=click.Path(file_okay=False, path_type=Path),
                  help="Folder for the archive (default: <instance>/backups).")
    def backup_command(output: Path | None) -> None:
        """Write one archive of the database and the stored files (safe while the app runs)."""
        try:
            result = create_backup(current_app, output or Path(current_app.instance_path) / "backups")
        except (BackupError, OSError) as error:  # OSError: a full disk, a folder it may not write
            raise click.ClickException(str(error)) from error
        manifest = result.manifest
        click.echo(f"Backup written: {result.path}")
        click.echo(_database_line(manifest))
        if not manifest["files_archived"]:
            click.echo(f"  {OBJECT_STORAGE_NOTE}")
            return
        click.echo(f"  {len(manifest['files'])} files ({sum(f['size'] for f in manifest['files'])} bytes); "
                   f"{manifest['unreferenced_files_skipped']} unreferenced files skipped")
        if result.missing:
            raise click.ClickException(f"the archive is written but {len(result.missing)} files the database names "
                                       f"were not in the storage folder: {', '.join(result.missing[:5])}")

    @app.cli.command("restore")
    @click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--force", is_flag=True, help="Replace a database that already holds data.")
    def restore_command(archive: Path, force: bool) -> None:
        """Bring back a `flask backup` archive into this installation's database and storage folder."""
        try:
            result = restore_backup(current_app, archive, force=force)
        except (BackupError, OSError) as error:
            raise click.ClickException(str(error)) from error
        manifest = result.manifest
        click.echo(f"Restored {archive.name} (taken {manifest['created_at']}, version {manifest['app_version']}):")
        click.echo(_database_line(manifest) + ", every count as the manifest says")
        if manifest["files_archived"]:
            click.echo(f"  {result.files} files ({result.file_bytes} bytes) into the storage folder")
        else:
            click.echo("  no files: the backed-up installation kept them in object storage; restore the bucket too")
        if result.needs_upgrade:
            click.echo("  The database is at an older revision than this code: run `flask db upgrade` now.")
