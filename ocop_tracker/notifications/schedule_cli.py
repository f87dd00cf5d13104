"""Commands for cron: `flask daily` (certificates expire, reminders are queued), `flask expire-certificates` alone,
and `flask send-summaries`."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

import click
from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from ..accounts.models import User
from ..clock import today as clock_today
from ..dossiers.models import Dossier
from ..dossiers.services import apply_event
from ..extensions import db
from ..registry.services import dossiers_due_to_expire
from ..summaries.services import PERIODS, Summary, build_summary, period_bounds
from ..workflow import WorkflowError
from .models import OutboxMail
from .reminders import queue_reminders
from .services import queue_mail

log = logging.getLogger(__name__)
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
    """Expire through the workflow every dossier whose certificate has reached its end; one commit per dossier."""
    expired, failures = 0, []
    for dossier_id in dossiers_due_to_expire(day):
        dossier = db.session.get(Dossier, dossier_id)
        assert dossier is not None  # just selected, and dossiers are never deleted
        try:
            apply_event(dossier, "expire", actor=None, version=dossier.version, today=day)
            db.session.commit()
        except (WorkflowError, SQLAlchemyError) as error:  # one bad row must not stop the others
            db.session.rollback()
            failures.append(f"#{dossier_id}: {error}")
        else:
            expired += 1
    return expired, failures


@dataclass
class SummaryRun:
    queued: int = 0
    quiet: int = 0  # nothing to say this period
    already: int = 0  # queued by an earlier run of the same period
    failed: int = 0


def worth_sending(summary: Summary, period: str) -> bool:
    """A daily mail only when something waits or happened, else it is noise; the weekly one always goes,
    so that "nothing waits for you" is said at least once a week and a silent mailbox never means a broken sender."""
    return period == "weekly" or bool(summary.waiting or summary.news)


def _summarise(user: User, period: str, today: date, run: SummaryRun) -> None:
    start, since = period_bounds(period, today)
    key = f"summary:{period}:{start.isoformat()}:{user.id}"
    if db.session.scalar(db.select(OutboxMail.id).filter_by(dedupe_key=key)) is not None:
        run.already += 1
        return
    summary = build_summary(user, today, since, period)
    if not worth_sending(summary, period):
        run.quiet += 1
        return
    queue_mail(user, kind=f"summary.{period}", subject=summary.subject, text=summary.text, html=summary.html,
               dedupe_key=key)
    db.session.commit()
    run.queued += 1


def send_summaries(period: str, today: date) -> SummaryRun:
    """Queue the period's summary for every active user with an address, once per user and period."""
    run = SummaryRun()
    users = db.session.scalars(db.select(User).where(User.active.is_(True), User.email.is_not(None), User.email != "")
                               .order_by(User.id)).all()
    for user in users:
        try:
            _summarise(user, period, today, run)
        except Exception:
            db.session.rollback()
            log.exception("summary for user %s failed", user.id)
            run.failed += 1
    return run


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
