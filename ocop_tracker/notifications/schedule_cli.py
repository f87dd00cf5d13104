"""Commands for cron: `flask daily` (certificates expire, reminders are queued), `flask expire-certificates` alone,
and `flask send-summaries`."""
from __future__ import annotations

from datetime import date, datetime

import click
from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from ..clock import today as clock_today
from ..dossiers.models import Dossier
from ..dossiers.services import EVENT_READS, apply_event
from ..extensions import db
from ..registry.services import dossiers_due_to_expire
from ..summaries.services import PERIODS
from ..workflow import WorkflowError
from .reminders import queue_reminders
from .summary_run import send_summaries

EXPIRY_BATCH = 500
TODAY_OPTION = click.option("--today", type=click.DateTime(["%Y-%m-%d"]),
                            help="Run as of this day, YYYY-MM-DD (default: today in Vietnam).")


def run_day(today: datetime | None) -> date:
    """The day a cron command runs as: --today for a catch-up run, but never after today (the demo clock's day
    when TODAY pins it): a later day would expire certificates early, on the public registry too."""
    latest = clock_today()
    if today is None:
        return latest
    if today.date() > latest:
        raise click.BadParameter(
            f"{today.date().isoformat()} is after today ({latest.isoformat()}); a run as of a later day would expire "
            "certificates and send reminders early. Catch-up runs take past days; a demonstration pins today with "
            "the TODAY setting (OCOP_TODAY).", param_hint="'--today'")
    return today.date()


def expire_due_certificates(day: date) -> tuple[int, list[str]]:
    """Expire through the workflow every dossier whose certificate has reached its end: each in a savepoint (a
    failure takes back that dossier alone), committed EXPIRY_BATCH at a time."""
    expired, failures = 0, []
    due = dossiers_due_to_expire(day)
    for start in range(0, len(due), EXPIRY_BATCH):
        batch = due[start:start + EXPIRY_BATCH]
        dossiers = {d.id: d for d in db.session.scalars(db.select(Dossier).where(Dossier.id.in_(batch))
                                                        .options(*EVENT_READS))}
        for dossier_id in batch:
            dossier = dossiers[dossier_id]  # just selected, and dossiers are never deleted
            try:
                with db.session.begin_nested():
                    apply_event(dossier, "expire", actor=None, version=dossier.version, today=day)
            except (WorkflowError, SQLAlchemyError) as error:  # one bad row must not stop the others
                failures.append(f"#{dossier_id}: {error}")
            else:
                expired += 1
        db.session.commit()
    return expired, failures


def register(app: Flask) -> None:
    @app.cli.command("daily")
    @TODAY_OPTION
    def daily_command(today) -> None:
        """For cron, once a day: expire certificates at their end date, then queue the reminders."""
        day = run_day(today)
        expired, failures = expire_due_certificates(day)
        reminders = queue_reminders(day)
        db.session.commit()
        click.echo(f"{day.isoformat()}: {expired} certificates expired, {reminders} reminders queued.")
        for failure in failures:
            click.echo(f"not expired {failure}", err=True)
        if failures:
            raise SystemExit(1)

    @app.cli.command("expire-certificates")
    @TODAY_OPTION
    def expire_certificates_command(today) -> None:
        """Mark certified dossiers whose certificate has reached its end date as expired (for cron)."""
        day = run_day(today)
        expired, failures = expire_due_certificates(day)
        click.echo(f"{expired} certificates expired.")
        for failure in failures:
            click.echo(f"not expired {failure}", err=True)

    @app.cli.command("send-summaries")
    @click.option("--period", type=click.Choice(PERIODS), default="daily", show_default=True)
    @TODAY_OPTION
    def send_summaries_command(period: str, today) -> None:
        """For cron: queue each user's daily or weekly status summary (a second run of a period adds nothing)."""
        day = run_day(today)
        run = send_summaries(period, day)
        click.echo(f"{period} summaries for {day.isoformat()}: {run.queued} queued, {run.quiet} with nothing "
                   f"to say, {run.already} already queued, {run.failed} failed.")
        if run.failed:
            raise SystemExit(1)
