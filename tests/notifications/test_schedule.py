"""The cron commands: `daily` expires certificates through the workflow and queues reminders; `send-summaries`."""
from __future__ import annotations

from datetime import date, timedelta

from ocop_tracker.dossiers.models import Dossier
from ocop_tracker.extensions import db
from ocop_tracker.notifications.models import OutboxMail
from ocop_tracker.notifications.schedule_cli import expire_due_certificates

from ..factories import dossier_in_state, expiry_day, fire, new_dossier
from ..statements import statements_run

MONDAY = date(2026, 3, 9)
HARNESS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")
PER_EXPIRY = 12  # its certificate is still read three times (the expiry, its effects, the mail): left to do


def invoke(app, *args: str):
    result = app.test_cli_runner().invoke(args=list(args))
    db.session.expire_all()
    return result


def outbox(kind_prefix: str) -> list[OutboxMail]:
    return list(db.session.scalars(db.select(OutboxMail).where(OutboxMail.kind.startswith(kind_prefix))
                                   .order_by(OutboxMail.id)))


def test_daily_expires_certificates_through_the_workflow_then_reminds(app, world):
    dossier = dossier_in_state(world, "certified")
    checking = dossier_in_state(world, "district_review")  # its first-level check ended on 23 March 2026
    day_after = (expiry_day(dossier) + timedelta(days=1)).isoformat()  # the first day without validity
    app.config["TODAY"] = day_after  # the demo clock: a run as of that day is allowed
    result = invoke(app, "daily", "--today", day_after)
    assert result.exit_code == 0, result.output
    assert "1 certificates expired" in result.output
    expired = db.session.get(Dossier, dossier.id)
    last = expired.history[-1]
    assert expired.state == "expired" and (last.event, last.actor_name, last.actor_id) == ("expire", "system", None)
    assert [mail.dossier_id for mail in outbox("reminder.overdue")] == [checking.id]
    again = invoke(app, "daily", "--today", day_after)
    assert "0 certificates expired, 0 reminders queued" in again.output


def test_expire_certificates_command_leaves_a_certificate_alone_on_its_last_valid_day(app, world):
    dossier = dossier_in_state(world, "certified")
    app.config["TODAY"] = expiry_day(dossier) + timedelta(days=1)  # the demo clock
    result = invoke(app, "expire-certificates", "--today", expiry_day(dossier).isoformat())
    assert "0 certificates expired" in result.output and db.session.get(Dossier, dossier.id).state == "certified"
    result = invoke(app, "expire-certificates", "--today", (expiry_day(dossier) + timedelta(days=1)).isoformat())
    assert "1 certificates expired" in result.output and db.session.get(Dossier, dossier.id).state == "expired"


def test_send_summaries_twice_for_a_period_queues_nothing_more(app, world):
    dossier = new_dossier(world, name="Chè Shan tuyết")
    fire(world, dossier, "submit", "producer", day=MONDAY)
    db.session.commit()
    first = invoke(app, "send-summaries", "--period", "daily", "--today", "2026-03-10")
    queued = outbox("summary.daily")
    assert first.exit_code == 0 and queued
    second = invoke(app, "send-summaries", "--period", "daily", "--today", "2026-03-10")
    assert len(outbox("summary.daily")) == len(queued)
    assert "0 queued" in second.output and f"{len(queued)} already queued" in second.output
    keys = {mail.dedupe_key for mail in queued}
    assert f"summary:daily:2026-03-10:{world['officer'].id}" in keys  # an arrival, and a dossier to check
    assert f"summary:daily:2026-03-10:{world['producer'].id}" not in keys  # nothing waits for them: no mail


def test_daily_summary_skips_people_with_nothing_to_say_but_the_weekly_one_goes(app, world):
    world["member3"].active = False
    db.session.commit()
    invoke(app, "send-summaries", "--period", "daily", "--today", "2026-03-10")
    assert outbox("summary.daily") == []  # nothing waits for anyone, nothing happened
    invoke(app, "send-summaries", "--period", "weekly", "--today", "2026-03-11")
    invoke(app, "send-summaries", "--period", "weekly", "--today", "2026-03-15")  # the same week: nothing more
    weekly = outbox("summary.weekly")
    assert {mail.recipient_id for mail in weekly} == {user.id for user in world.users.values() if user.active}
    assert {mail.dedupe_key.split(":")[2] for mail in weekly} == {"2026-03-09"}
    assert all(mail.subject.startswith("[OCOP] Tóm tắt tuần 02/03/2026–08/03/2026") for mail in weekly)


def _statements_of_expiring(day: date) -> list[str]:
    with statements_run(fresh=True) as seen:
        expired, failures = expire_due_certificates(day)
    assert failures == [] and expired > 0
    return [statement for statement in seen if not statement.startswith(HARNESS)]


def test_each_expiry_costs_the_same_few_statements(app, world):
    """Issue 13: the expiring dossiers are read with what the one door reads of them (unit, product, producer,
    product set), and the deadlines it closes with their extensions, so each expiry costs the same few statements."""
    first = dossier_in_state(world, "certified")
    day_after = expiry_day(first) + timedelta(days=1)
    app.config["TODAY"] = day_after.isoformat()
    one = _statements_of_expiring(day_after)
    for _ in range(3):
        dossier_in_state(world, "certified")
    three = _statements_of_expiring(day_after)
    per_expiry = (len(three) - len(one)) // 2
    assert (len(one) - per_expiry, per_expiry) == (2, PER_EXPIRY), three
