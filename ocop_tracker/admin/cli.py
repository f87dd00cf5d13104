"""First-run commands: unit levels and the map, from nothing (`flask create-unit-levels`, `create-unit`,
`import-units`), so a database without demo data gets its units before its first administrator."""
from __future__ import annotations

from datetime import datetime

import click
from flask import Flask

from ..extensions import db
from .services import STANDARD_LEVELS, ensure_standard_levels
from .unit_import import UnitFile, UnitImportError, UnitRow, read_rows, write_rows


def _fail(exc: UnitImportError, what: str) -> click.ClickException:
    db.session.rollback()
    for problem in exc.problems:
        click.echo(problem, err=True)
    return click.ClickException(f"{len(exc.problems)} problem(s): {what}")


def register(app: Flask) -> None:
    @app.cli.command("create-unit-levels")
    def create_unit_levels_command() -> None:
        """Add the standard unit levels: province, district, commune (safe to repeat)."""
        added = ensure_standard_levels()
        db.session.commit()
        click.echo(f"{added} unit levels added; {len(STANDARD_LEVELS) - added} already present.")

    @app.cli.command("create-unit")
    @click.argument("code")
    @click.argument("name")
    @click.option("--level", required=True, help="province, district or commune (see create-unit-levels).")
    @click.option("--parent", "parent_code", help="The code of the unit above it.")
    @click.option("--abolished-on", type=click.DateTime(formats=["%Y-%m-%d"]), help="YYYY-MM-DD.")
    @click.option("--successor", "successor_code", help="For an abolished unit: its province, which takes its files.")
    @click.option("--name-after-2025", help="Its name on the map after the 2025 reform, when it changed.")
    def create_unit_command(code: str, name: str, level: str, parent_code: str | None,
                            abolished_on: datetime | None, successor_code: str | None,
                            name_after_2025: str | None) -> None:
        """Add one administrative unit (an identical one already there is left alone)."""
        row = UnitRow(code=code.strip(), name=name.strip(), level=level.strip(), parent_code=parent_code,
                      abolished_on=abolished_on.date() if abolished_on else None,
                      successor_code=successor_code, name_after_2025=name_after_2025)
        try:
            report = write_rows(UnitFile([row], [], set()), update=False)
        except UnitImportError as exc:
            raise _fail(exc, "unit not created") from exc
        db.session.commit()
        click.echo(f"Unit {row.code} created." if report.added else f"Unit {row.code} already present; unchanged.")

    @app.cli.command("import-units")
    @click.argument("file", type=click.File("rb"))
    @click.option("--dry-run", is_flag=True, help="Check and report, write nothing.")
    def import_units_command(file, dry_run: bool) -> None:
        """Add and update units from a CSV file: all of it or, on any bad line, nothing (safe to repeat)."""
        try:
            report = write_rows(read_rows(file.read()))
        except UnitImportError as exc:
            raise _fail(exc, "nothing imported") from exc
        for line in report.changed:
            click.echo(f"changed {line}")
        if dry_run:
            db.session.rollback()
            click.echo(f"Dry run, nothing written: {report.summary()}")
            return
        db.session.commit()
        click.echo(report.summary())
