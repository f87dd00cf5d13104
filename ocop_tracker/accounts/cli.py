"""User commands: `flask create-user`, `set-password`, `deactivate-user`."""
from __future__ import annotations

import click
from flask import Flask

from ..extensions import db
from .models import AdministrativeUnit, Organisation, User
from .services import AccountError, check_new_password, create_user, revoke_sign_in_sessions


def user_named(username: str) -> User:
    """The user a command names, or the command stops with a message."""
    user = db.session.scalar(db.select(User).filter_by(username=username))
    if user is None:
        raise click.ClickException(f"no user called {username!r}")
    return user


def register(app: Flask) -> None:
    @app.cli.command("create-user")
    @click.argument("username")
    @click.option("--role", type=click.Choice(["producer", "officer", "council_member", "admin"]), required=True)
    @click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
    @click.option("--full-name", default="")
    @click.option("--email")
    @click.option("--organisation-id", type=int, help="For producers.")
    @click.option("--unit-code", "--unit", "unit_code", help="Unit code, for officers and administrators.")
    @click.option("--locale", type=click.Choice(["vi", "en"]), default="vi")
    def create_user_command(username, role, password, full_name, email, organisation_id, unit_code, locale):
        """Add a user."""
        organisation = db.session.get(Organisation, organisation_id) if organisation_id else None
        unit = db.session.scalar(db.select(AdministrativeUnit).filter_by(code=unit_code)) if unit_code else None
        if organisation_id and organisation is None:
            raise click.ClickException(f"no organisation #{organisation_id}")
        if unit_code and unit is None:
            raise click.ClickException(f"no unit with code {unit_code!r} (see flask import-units, create-unit)")
        try:
            create_user(username=username, password=password, role=role, full_name=full_name, email=email,
                        organisation=organisation, unit=unit, locale=locale)
        except AccountError as exc:
            db.session.rollback()
            raise click.ClickException(str(exc)) from exc
        db.session.commit()
        click.echo(f"User {username} created.")

    @app.cli.command("set-password")
    @click.argument("username")
    @click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
    def set_password_command(username: str, password: str) -> None:
        """Set a user's password."""
        user = user_named(username)
        try:
            check_new_password(password, username=user.username)  # the rule every other way of setting one applies
        except AccountError as exc:
            raise click.ClickException(str(exc)) from exc
        user.set_password(password)
        revoke_sign_in_sessions(user)  # a new password signs the user out everywhere
        db.session.commit()
        click.echo("Password changed.")

    @app.cli.command("deactivate-user")
    @click.argument("username")
    def deactivate_user_command(username: str) -> None:
        """Stop a user from signing in (their history stays)."""
        user = user_named(username)
        user.active = False
        revoke_sign_in_sessions(user)
        db.session.commit()
        click.echo(f"User {username} deactivated.")
