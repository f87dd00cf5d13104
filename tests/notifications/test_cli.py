"""`flask send-mail`: one run for cron, and a loop that a signal stops cleanly."""
from __future__ import annotations

import email
import email.policy
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from ocop_tracker.extensions import db
from ocop_tracker.notifications.models import OutboxMail

from .conftest import VIETNAMESE_SUBJECT, queue

ROOT = Path(__file__).resolve().parents[2]


def test_send_mail_writes_eml_files_without_smtp(app, world):
    mails = queue(world, 3)
    result = app.test_cli_runner().invoke(args=["send-mail", "--batch", "2"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("2 sent, 0 to retry, 0 failed (of 2 claimed; .eml files in ")
    assert "1 sent" in result.output.splitlines()[1]
    files = list((Path(app.instance_path) / "outbox").glob("*.eml"))
    parsed = [email.message_from_bytes(f.read_bytes(), policy=email.policy.default) for f in files]
    assert sorted(m["Message-ID"] for m in parsed) == sorted(mail.message_id for mail in mails)
    assert {m["Subject"] for m in parsed} == {VIETNAMESE_SUBJECT}


def test_send_mail_with_nothing_due_says_nothing(app, world):
    result = app.test_cli_runner().invoke(args=["send-mail"])
    assert (result.exit_code, result.output) == (0, "")


def _statuses() -> set[str]:
    statuses = set(db.session.scalars(db.select(OutboxMail.status)))
    db.session.rollback()  # end the read: on SQLite it holds the write lock the sender needs
    return statuses


def _wait_until_sent(process, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while _statuses() != {"sent"}:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the looping sender did not send in time"
        time.sleep(0.2)


def test_loop_keeps_sending_until_sigterm(app, world, database_url, tmp_path):
    queue(world, 2)
    environment = os.environ | {"OCOP_DATABASE_URL": database_url, "OCOP_INSTANCE_PATH": str(tmp_path / "sender")}
    process = subprocess.Popen([sys.executable, "-m", "flask", "--app", "ocop_tracker", "send-mail", "--loop",
                                "--interval", "1"], cwd=ROOT, env=environment, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        _wait_until_sent(process)
        queue(world)  # a mail queued later is picked up by the next look at the outbox
        _wait_until_sent(process)
        process.send_signal(signal.SIGTERM)
        output, errors = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, errors
    assert output.splitlines()[-1] == "Stopped." and "2 sent" in output and "1 sent" in output
    assert len(list((tmp_path / "sender" / "outbox").glob("*.eml"))) == 3


def test_unknown_smtp_security_is_refused_before_anything_is_claimed(app, world):
    mail = queue(world)[0]
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_SECURITY="tls1.3")
    result = app.test_cli_runner().invoke(args=["send-mail"])
    assert result.exit_code == 1 and "SMTP_SECURITY must be one of starttls, ssl, none" in result.output
    db.session.expire_all()
    assert (db.session.get(OutboxMail, mail.id).status, db.session.get(OutboxMail, mail.id).attempts) == ("pending", 0)
