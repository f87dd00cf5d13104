"""`flask seed-demo`: the demo province, its cooperatives, dossiers and accounts."""
from __future__ import annotations

import click
from flask import Flask

from ..extensions import db
from . import ACCOUNTS, DEMO_PASSWORD, seed_demo


def register(app: Flask) -> None:
    @app.cli.command("seed-demo")
    @click.option("--quiet", is_flag=True, help="Do not print the demo accounts.")
    @click.option("--if-empty", is_flag=True, help="Skip quietly when the database holds other users.")
    def seed_demo_command(quiet: bool, if_empty: bool) -> None:
        """Load the demo province, cooperatives, dossiers and accounts (once)."""
        try:
            created = seed_demo()
        except RuntimeError as exc:
            db.session.rollback()
            if if_empty:
                click.echo("The database holds real users: no demo data loaded.")
                return
            raise click.ClickException(str(exc)) from exc
        db.session.commit()
        click.echo("Demo data loaded." if created else "Demo data already present; nothing changed.")
        if not quiet:
            click.echo(f"Demo accounts (password for all: {DEMO_PASSWORD} — for demonstration only):")
            for username, role, name, *_ in ACCOUNTS:
                click.echo(f"  {username:<20} {role:<15} {name}")
