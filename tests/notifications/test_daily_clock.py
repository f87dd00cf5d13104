"""`--today` never runs ahead of today: a later day would expire certificates early, on the public registry too."""
from __future__ import annotations

from datetime import timedelta

import pytest

from ocop_tracker.clock import now
from ocop_tracker.dossiers.models import Dossier
from ocop_tracker.extensions import db
from ocop_tracker.notifications.models import OutboxMail

from ..factories import dossier_in_state, expiry_day


def _run(app, *args: str):
    result = app.test_cli_runner().invoke(args=list(args))
    db.session.expire_all()
    return result


def _mails() -> int:
    return db.session.scalar(db.select(db.func.count(OutboxMail.id)))


@pytest.mark.parametrize("command", [["daily"], ["expire-certificates"], ["send-summaries", "--period", "weekly"]])
def test_a_day_after_the_real_today_is_refused_and_changes_nothing(app, world, command):
    dossier = dossier_in_state(world, "certified")
    # After the certificate's end (the old code expired it then) and after the real today, whichever is later.
    later = max(expiry_day(dossier), now().date()) + timedelta(days=1)
    mails = _mails()
    result = _run(app, *command, "--today", later.isoformat())
    assert result.exit_code != 0
    assert f"{later.isoformat()} is after today ({now().date().isoformat()})" in result.output
    assert db.session.get(Dossier, dossier.id).state == "certified" and _mails() == mails


def test_today_and_past_days_still_run(app, world):
    assert _run(app, "daily", "--today", now().date().isoformat()).exit_code == 0
    result = _run(app, "daily", "--today", "2026-03-02")  # a catch-up run
    assert result.exit_code == 0 and "2026-03-02:" in result.output


def test_the_demo_clock_lets_a_run_reach_its_own_day_and_no_further(app, world):
    dossier = dossier_in_state(world, "certified")
    day_after = expiry_day(dossier) + timedelta(days=1)
    app.config["TODAY"] = day_after.isoformat()
    assert _run(app, "daily", "--today", (day_after + timedelta(days=1)).isoformat()).exit_code != 0
    assert db.session.get(Dossier, dossier.id).state == "certified"
    result = _run(app, "daily", "--today", day_after.isoformat())
    assert result.exit_code == 0 and db.session.get(Dossier, dossier.id).state == "expired"
