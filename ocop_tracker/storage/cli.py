"""Storage commands: `flask --app ocop_tracker sweep-files [--grace-hours N] [--dry-run]`."""
from __future__ import annotations

import click
from flask import Flask, current_app

from .setup import current_storage
from .sweep import sweep_files


def register(app: Flask) -> None:
    @app.cli.command("sweep-files")
    @click.option("--grace-hours", type=click.FloatRange(min=0), default=None,
                  help="Keep unreferenced files younger than this (default: SWEEP_GRACE_HOURS, 24).")
    @click.option("--dry-run", is_flag=True, help="List what would be deleted; delete nothing.")
    def sweep_files_command(grace_hours: float | None, dry_run: bool) -> None:
        """Delete stored files that no document version or decision references (for cron; safe on any host)."""
        if grace_hours is None:
            grace_hours = float(current_app.config["SWEEP_GRACE_HOURS"])
        try:
            report = sweep_files(grace_hours=grace_hours, dry_run=dry_run)
        except Exception as error:  # an unreachable bucket or folder: say so, with no traceback
            raise click.ClickException(f"sweep stopped: {error}") from error
        if dry_run:
            for name in report.orphans:
                click.echo(f"would delete {name}")
        done = "would be deleted (dry run)" if dry_run else "deleted"
        click.echo(f"{current_storage().kind} storage: {report.stored} files, {report.referenced} referenced, "
                   f"{report.recent} within {grace_hours:g} hours, {len(report.orphans)} unreferenced {done}.")
