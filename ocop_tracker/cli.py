"""Administrator commands: `flask --app ocop_tracker <command>`."""
from __future__ import annotations

import click
from flask import Flask

from .accounts.cli import register as register_unit_commands
from .accounts.models import AdministrativeUnit, Organisation, User
from .accounts.services import AccountError, check_new_password, create_user, revoke_sign_in_sessions
from .backup.commands import register as register_backup_commands
from .demo import ACCOUNTS, DEMO_PASSWORD, seed_demo
from .dossiers.models import Dossier
from .dossiers.services import apply_event
from .extensions import db
from .notifications.cli import register as register_mail_commands
from .notifications.schedule_cli import TODAY_OPTION, expire_due_certificates, run_day
from .notifications.schedule_cli import register as register_schedule_commands
from .products.services import load_product_catalogue
from .rules.services import load_shipped_calendar
from .rules.rulesets import RULE_SET_CODES, get_rule_set
from .storage.cli import register as register_storage_commands
from .workflow import WorkflowError


def _user(username: str) -> User:
    user = db.session.scalar(db.select(User).filter_by(username=username))
    if user is None:
        raise click.ClickException(f"no user called {username!r}")
    return user


def register(app: Flask) -> None:
    register_unit_commands(app)

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

    @app.cli.command("load-reference-data")
    def load_reference_data_command() -> None:
        """Load the product groups, the 26 product sets and the shipped calendar years (safe to repeat)."""
        added = load_product_catalogue()
        years = load_shipped_calendar()
        db.session.commit()
        click.echo(f"{added} product groups and sets added; {years} calendar years added.")

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
        user = _user(username)
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
        user = _user(username)
        user.active = False
        revoke_sign_in_sessions(user)
        db.session.commit()
        click.echo(f"User {username} deactivated.")

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
            record = apply_event(dossier, event, actor=_user(username), version=dossier.version,
                                 comment=comment, grounds=grounds)
        except WorkflowError as exc:
            db.session.rollback()
            raise click.ClickException(f"{exc.code}: {exc.message}") from exc
        db.session.commit()
        click.echo(f"#{dossier_id}: {record.from_state} → {record.to_state}")

    @app.cli.command("expire-certificates")
    @TODAY_OPTION
    def expire_certificates_command(today) -> None:
        """Mark certified dossiers whose certificate has reached its end date as expired (for cron)."""
        day = run_day(today)
        expired, failures = expire_due_certificates(day)
        click.echo(f"{expired} certificates expired.")
        for failure in failures:
            click.echo(f"not expired {failure}", err=True)

    @app.cli.command("rule-sets")
    def rule_sets_command() -> None:
        """Show the shipped rule sets: filing period, first level and each evaluation level."""
        for code in RULE_SET_CODES:
            rules = get_rule_set(code)
            until = rules.filings_until.isoformat() if rules.filings_until else "onwards"
            click.echo(f"{code}: filings {rules.filings_from.isoformat()} to {until}, first level {rules.first_level}")
            for level in rules.levels:
                stars = ", ".join(f"{star}*" for star in level.recognises)
                up = f", sends up from {level.sends_up_from}" if level.sends_up_from is not None else ""
                click.echo(f"  {level.level}: recognises {stars}{up}, decided by {rules.decided_by(level.level, 'en')}")

    register_mail_commands(app)
    register_schedule_commands(app)
    register_storage_commands(app)
    register_backup_commands(app)
