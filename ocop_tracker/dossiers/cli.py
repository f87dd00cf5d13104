"""Dossier commands: `flask list-dossiers` and `flask fire-event`, through the same door as the pages."""
from __future__ import annotations

import click
from flask import Flask

from ..accounts.cli import user_named
from ..extensions import db
from ..workflow import WorkflowError
from .models import Dossier
from .services import apply_event


def register(app: Flask) -> None:
    @app.cli.command("list-dossiers")
    @click.option("--state")
    def list_dossiers_command(state: str | None) -> None:
        """Print every dossier with its state, version and product."""
        statement = db.select(Dossier).order_by(Dossier.id)
        if state:
            statement = statement.filter_by(state=state)
        for dossier in db.session.scalars(statement):
            click.echo(f"#{dossier.id:<5} {dossier.state:<18} v{dossier.version:<4} {dossier.product.name}")

    @app.cli.command("fire-event")
    @click.argument("dossier_id", type=int)
    @click.argument("event")
    @click.option("--as", "username", required=True, help="The user who fires it.")
    @click.option("--comment", default="")
    @click.option("--grounds", default="")
    def fire_event_command(dossier_id: int, event: str, username: str, comment: str, grounds: str) -> None:
        """Fire a workflow event on a dossier as a user, through the same service as the pages."""
        dossier = db.session.get(Dossier, dossier_id)
        if dossier is None:
            raise click.ClickException(f"no dossier #{dossier_id}")
        try:
            record = apply_event(dossier, event, actor=user_named(username), version=dossier.version,
                                 comment=comment, grounds=grounds)
        except WorkflowError as exc:
            db.session.rollback()
            raise click.ClickException(f"{exc.code}: {exc.message}") from exc
        db.session.commit()
        click.echo(f"#{dossier_id}: {record.from_state} → {record.to_state}")
