"""Mail commands: `flask --app ocop_tracker send-mail [--loop]`."""
from __future__ import annotations

import signal
import threading

import click
from flask import Flask

from .sender import SendReport, send_batch


def _say(report: SendReport) -> None:
    click.echo(f"{report.sent} sent, {report.retrying} to retry, {report.failed} failed "
               f"(of {report.claimed} claimed; {report.transport}).")


def _send_due(batch: int, stop: threading.Event) -> None:
    """Batches until nothing due is left (a full batch may leave more behind) or a stop is asked for."""
    while not stop.is_set():
        try:
            report = send_batch(batch=batch, stop=stop)
        except ValueError as exc:  # a setting that cannot work (SMTP_SECURITY): say so, claim nothing
            raise click.ClickException(str(exc)) from exc
        if report.claimed:
            _say(report)
        if report.claimed < batch:
            return


def _stop_on_signals(stop: threading.Event) -> dict:
    """SIGTERM and SIGINT end the loop after the mail being sent; returns the handlers to put back."""
    previous = {}
    for number in (signal.SIGTERM, signal.SIGINT):
        previous[number] = signal.signal(number, lambda *_: stop.set())
    return previous


def register(app: Flask) -> None:
    @app.cli.command("send-mail")
    @click.option("--loop", is_flag=True, help="Keep sending until stopped (SIGTERM or Ctrl-C).")
    @click.option("--interval", default=30, show_default=True, type=click.IntRange(min=1),
                  help="Seconds between two looks at the outbox in --loop mode.")
    @click.option("--batch", default=50, show_default=True, type=click.IntRange(min=1),
                  help="Mails claimed at a time.")
    def send_mail_command(loop: bool, interval: int, batch: int) -> None:
        """Send the outbox's due mails over SMTP (or write .eml files when no SMTP_HOST is set)."""
        stop = threading.Event()
        if not loop:
            _send_due(batch, stop)
            return
        previous = _stop_on_signals(stop)
        try:
            while not stop.is_set():
                _send_due(batch, stop)
                stop.wait(interval)
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
        click.echo("Stopped.")
