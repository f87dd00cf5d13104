"""`flask load-reference-data`: the product catalogue and the shipped working-day calendar."""
from __future__ import annotations

import click
from flask import Flask

from ..extensions import db
from ..rules.services import load_shipped_calendar
from .services import load_product_catalogue


def register(app: Flask) -> None:
    @app.cli.command("load-reference-data")
    def load_reference_data_command() -> None:
        """Load the product groups, the 26 product sets and the shipped calendar years (safe to repeat)."""
        added = load_product_catalogue()
        years = load_shipped_calendar()
        db.session.commit()
        click.echo(f"{added} product groups and sets added; {years} calendar years added.")
