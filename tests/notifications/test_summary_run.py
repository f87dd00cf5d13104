"""`send-summaries` in batches (issue 13): the same mails whatever the batch size, statements that do not grow
with the dossiers, and a failing recipient counted alone."""
from __future__ import annotations

from datetime import date

from ocop_tracker.accounts.services import create_user
from ocop_tracker.extensions import db
from ocop_tracker.notifications.models import OutboxMail
from ocop_tracker.notifications.summary_run import _recipients_after, send_summaries
from ocop_tracker.summaries.services import build_summary, period_bounds

from ..factories import PASSWORD
from ..statements import statements_run
from ..summaries.test_statements import _add_world, short_sections  # noqa: F401  (a fixture)

TODAY = date(2026, 3, 10)


def _summary_keys() -> list[str]:
    return sorted(db.session.scalars(db.select(OutboxMail.dedupe_key).where(OutboxMail.kind.startswith("summary."))))


def _forget_summaries() -> None:
    db.session.execute(db.delete(OutboxMail).where(OutboxMail.kind.startswith("summary.")))
    db.session.commit()


def _run_statements(period: str = "weekly", batch_size: int = 500) -> int:
    with statements_run(fresh=True) as seen:
        run = send_summaries(period, TODAY, batch_size=batch_size)
    assert run.failed == 0
    return len(seen)


def test_batches_queue_the_same_mails_as_one_batch_and_a_second_run_adds_nothing(world, short_sections):  # noqa: F811
    _add_world(world)
    send_summaries("weekly", TODAY, batch_size=500)
    whole = _summary_keys()
    assert len(whole) == sum(user.active and bool(user.email) for user in world.users.values())
    _forget_summaries()
    run = send_summaries("weekly", TODAY, batch_size=2)
    assert _summary_keys() == whole and run.queued == len(whole)
    again = send_summaries("weekly", TODAY, batch_size=2)
    assert (again.queued, again.already) == (0, len(whole)) and _summary_keys() == whole


def test_a_run_costs_the_same_statements_whatever_the_dossiers(app, world, short_sections):  # noqa: F811
    app.config["DASHBOARD_MAX_AGE"] = 0  # the admin's overview takes the dashboard's figures in both runs
    _add_world(world)
    small = _run_statements()
    _forget_summaries()
    _add_world(world)
    _add_world(world)
    assert _run_statements() == small


def test_a_recipient_whose_summary_fails_is_counted_and_the_others_are_queued(world):
    world["officer"].locale = "zz"  # no such language: building the mail raises
    db.session.commit()
    run = send_summaries("weekly", TODAY, batch_size=2)
    db.session.rollback()
    recipients = set(db.session.scalars(db.select(OutboxMail.recipient_id).where(OutboxMail.kind == "summary.weekly")))
    assert run.failed == 1 and world["officer"].id not in recipients
    assert recipients == {u.id for u in world.users.values() if u.active and u.email and u is not world["officer"]}


def test_officers_of_one_unit_share_sections_yet_each_mail_is_the_one_built_alone(world, short_sections):  # noqa: F811
    _add_world(world)
    second = create_user(username="officer2", password=PASSWORD, role="officer", unit=world.commune,
                         email="officer2@test.local", full_name="Cán bộ Hai")
    db.session.commit()
    send_summaries("weekly", TODAY, batch_size=500)
    since = period_bounds("weekly", TODAY)[1]
    for user in (world["officer"], second, world["admin"], world["producer"]):
        mail = db.session.scalar(db.select(OutboxMail).filter_by(recipient_id=user.id, kind="summary.weekly"))
        alone = build_summary(user, TODAY, since, "weekly")
        assert (mail.subject, mail.body_text, mail.body_html) == (alone.subject, alone.text, alone.html)
    assert "Cán bộ Hai" in db.session.scalar(db.select(OutboxMail.body_text).filter_by(recipient_id=second.id))


def test_the_run_goes_by_role_and_unit_so_a_units_people_fall_together(world):
    """Ordered by id, a province's officer created last would come after every producer, in another batch; the run
    reads users by role, unit and id, so a batch of officers is a batch of units (the keyset still reads each once)."""
    late = create_user(username="officer_late", password=PASSWORD, role="officer", unit=world.province,
                       email="late@test.local")
    db.session.commit()
    seen, last = [], None
    while users := _recipients_after(last, 1):
        seen.append(users[0])
        last = (users[0].role, users[0].unit_id or 0, users[0].id)
    assert abs(seen.index(late) - seen.index(world["province_officer"])) == 1
    assert sorted(u.id for u in seen) == sorted(u.id for u in world.users.values() if u.active and u.email) + [late.id]
    assert [u.role for u in seen] == sorted(u.role for u in seen)
