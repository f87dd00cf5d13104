"""Reminders: to whoever must act, once per (deadline, status, recipient, due day); escalation; certificate expiry."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from ocop_tracker.accounts.services import create_user
from ocop_tracker.deadlines.models import Deadline
from ocop_tracker.extensions import db
from ocop_tracker.notifications.models import OutboxMail
from ocop_tracker.notifications.reminders import queue_reminders
from ocop_tracker.reviews.models import EvaluationBatch

from ..factories import (
    DAY0,
    PASSWORD,
    QD26_DAY,
    dossier_in_state,
    expiry_day,
    fire,
    re_rating_day,
    score_all,
    upload_required_documents,
)
from ..statements import statements_run

CHECK_DUE = date(2026, 3, 23)  # 15 working days after Monday 2 March 2026
BATCH_DECISION_DUE = date(2026, 12, 30)  # the decision date of the test world's batch "Đợt 2 năm 2026"


def mails(kind: str, who=None) -> list[OutboxMail]:
    statement = db.select(OutboxMail).filter_by(kind=kind).order_by(OutboxMail.id)
    if who is not None:
        statement = statement.filter_by(recipient_id=who.id)
    return list(db.session.scalars(statement))


def run(day: date) -> int:
    queued = queue_reminders(day)
    db.session.commit()
    return queued


@pytest.fixture()
def checking(world):
    """A dossier in its first-level check (the commune's) since DAY0, and a head for each commune."""
    dossier = dossier_in_state(world, "district_review")
    for name, unit in (("head", world.commune), ("other_head", world.other_commune)):
        world.users[name] = create_user(username=name, password=PASSWORD, role="officer", unit=unit,
                                        email=f"{name}@test.local")
        world.users[name].is_unit_head = True
    db.session.commit()
    return dossier


def test_due_soon_reminder_goes_once_to_the_reviewing_officers(world, checking):
    assert run(date(2026, 3, 17)) == 0  # four working days ahead: still on time
    run(date(2026, 3, 19))
    run(date(2026, 3, 20))
    reminded = {mail.recipient_id for mail in mails("reminder.due_soon")}
    assert reminded == {world["officer"].id, world["head"].id}  # the unit's officers, not the other commune's
    assert len(mails("reminder.due_soon")) == 2
    mail = mails("reminder.due_soon", world["officer"])[0]
    assert mail.dossier_id == checking.id and "23/03/2026" in mail.subject and mail.body_html


def test_overdue_reminder_then_escalation_to_the_unit_head_after_three_working_days(world, checking):
    run(date(2026, 3, 24))
    assert len(mails("reminder.overdue", world["officer"])) == 1
    run(date(2026, 3, 26))  # 3 working days late: not yet more than the delay
    assert mails("reminder.escalated") == []
    run(date(2026, 3, 27))
    run(date(2026, 3, 30))
    escalated = mails("reminder.escalated")
    assert [mail.recipient_id for mail in escalated] == [world["head"].id]
    assert "4" in escalated[0].subject and len(mails("reminder.overdue", world["officer"])) == 1


def test_escalation_delay_comes_from_configuration(app, world, checking):
    app.config["REMINDER_ESCALATION_WORKING_DAYS"] = 1
    run(date(2026, 3, 25))
    assert [mail.recipient_id for mail in mails("reminder.escalated")] == [world["head"].id]


def test_an_extended_deadline_is_reminded_again_for_its_new_day(world, checking):
    run(date(2026, 3, 19))
    deadline = db.session.scalar(db.select(Deadline).filter_by(dossier_id=checking.id, kind="first_level_check"))
    deadline.due_on = date(2026, 3, 31)
    db.session.commit()
    run(date(2026, 3, 24))  # no longer overdue
    run(date(2026, 3, 27))
    due = [mail.dedupe_key.split(":")[3] for mail in mails("reminder.due_soon", world["officer"])]
    assert due == ["2026-03-23", "2026-03-31"] and mails("reminder.overdue") == []


def test_decision_reminder_of_a_batch_goes_to_the_council_chair_while_it_scores(world):
    dossier = dossier_in_state(world, "star_rating", day=QD26_DAY)  # QĐ 26: admitted to the open batch
    deadline = db.session.scalar(db.select(Deadline).filter_by(dossier_id=dossier.id, kind="decision"))
    assert deadline.due_on == BATCH_DECISION_DUE  # the batch's decision date, not 45 days
    assert run(QD26_DAY + timedelta(days=45)) == 0
    run(date(2026, 12, 24))  # four working days ahead: still on time
    assert mails("reminder.due_soon") == []
    run(date(2026, 12, 25))
    assert [mail.recipient_id for mail in mails("reminder.due_soon")] == [world["chair"].id]
    assert mails("reminder.due_soon")[0].dossier_id == dossier.id


def test_decision_reminder_goes_to_the_provincial_office_once_the_council_has_closed(world):
    dossier = dossier_in_state(world, "awaiting_decision", day=QD26_DAY)  # the chairman's decision is awaited
    run(date(2026, 12, 25))
    reminded = {mail.recipient_id for mail in mails("reminder.due_soon") if mail.dossier_id == dossier.id}
    assert world["province_officer"].id in reminded, "the provincial office records the decision"
    assert world["chair"].id not in reminded, "the council has closed its rating: nothing is left for its chair"
    assert reminded <= {world["province_officer"].id, world["admin"].id}  # nobody outside the province's office


def test_overdue_decision_escalates_to_the_head_of_the_provincial_office(world):
    dossier = dossier_in_state(world, "awaiting_decision", day=QD26_DAY)
    heads = {}
    for name, unit in (("province_head", world.province), ("commune_head", world.commune)):
        heads[name] = create_user(username=name, password=PASSWORD, role="officer", unit=unit,
                                  email=f"{name}@test.local")
        heads[name].is_unit_head = True
    db.session.commit()
    run(date(2027, 1, 8))  # the batch's decision was due on 30/12/2026: six working days late
    escalated = {mail.recipient_id for mail in mails("reminder.escalated") if mail.dossier_id == dossier.id}
    assert escalated == {heads["province_head"].id}, "the province decides: its head hears, not the commune's"


def test_first_rating_without_a_batch_has_no_decision_time_limit(world):
    dossier = dossier_in_state(world, "star_rating")  # QĐ 1489 (filed DAY0): no batches, no decision date
    assert db.session.scalar(db.select(Deadline).filter_by(dossier_id=dossier.id, kind="decision")) is None
    run(DAY0 + timedelta(days=44))
    run(DAY0 + timedelta(days=60))
    reminders = mails("reminder.due_soon") + mails("reminder.overdue") + mails("reminder.escalated")
    assert [m for m in reminders if m.dossier_id == dossier.id] == []  # its check was met on forwarding


def test_re_rating_decision_reminder_comes_45_days_after_admission(world):
    dossier = dossier_in_state(world, "certified")
    filed = re_rating_day(dossier)  # inside the window, 150 days before the last valid day
    db.session.add(EvaluationBatch(unit=world.province, name=f"Đợt 2 năm {filed.year}",
                                   filing_cutoff=date(filed.year, 10, 30), decision_due=date(filed.year, 12, 30)))
    fire(world, dossier, "request_re_rating", "producer", day=filed)
    upload_required_documents(dossier, world["producer"])
    for event, who in (("submit", "producer"), ("forward", "officer"), ("admit", "province_officer")):
        fire(world, dossier, event, who, day=filed)
    score_all(world, dossier)
    db.session.commit()
    deadline = db.session.scalar(db.select(Deadline).filter_by(dossier_id=dossier.id, kind="decision", met_on=None))
    assert deadline.due_on == filed + timedelta(days=45)  # not the batch's date (Điều 7.6.g)
    run(filed + timedelta(days=44))
    reminded = [mail for mail in mails("reminder.due_soon") if mail.dedupe_key.startswith(f"reminder:{deadline.id}:")]
    assert [mail.recipient_id for mail in reminded] == [world["chair"].id]


def test_certificate_expiry_reminders_at_180_120_and_30_days_once_each(world):
    dossier = dossier_in_state(world, "certified")
    world["producer"].mail_preference = "summary"  # reminders come whatever the preference
    db.session.commit()
    expires = expiry_day(dossier)
    for days_left in (181, 180, 179, 150, 120, 119, 60, 30, 29, 1):
        run(expires - timedelta(days=days_left))
    sent = mails("reminder.certificate_expiry")
    assert len(sent) == 3 and {mail.recipient_id for mail in sent} == {world["producer"].id}
    assert [mail.dedupe_key.split(":")[3] for mail in sent] == ["180", "120", "30"]
    assert "còn 180 ngày" in sent[0].subject and "Nộp đánh giá lại" in sent[0].body_text
    assert f"có hiệu lực đến hết ngày {expires:%d/%m/%Y}" in sent[0].subject  # the last valid day
    assert "Nộp đánh giá lại" not in sent[2].body_text  # the filing window has closed by then


def test_re_rating_window_closing_reminds_the_producer(world):
    dossier = dossier_in_state(world, "certified")
    run(expiry_day(dossier) - timedelta(days=140))  # the window closes 120 days before expiry
    assert [mail.recipient_id for mail in mails("reminder.due_soon")] == [world["producer"].id]


def test_english_recipient_gets_an_english_reminder(world, checking):
    world["officer"].locale = "en"
    db.session.commit()
    run(date(2026, 3, 24))
    mail = mails("reminder.overdue", world["officer"])[0]
    assert mail.subject.startswith("[OCOP] Overdue:") and "23 Mar 2026" in mail.subject


def _statements_of_a_run(day: date) -> int:
    with statements_run(fresh=True) as seen:
        run(day)
    db.session.execute(db.delete(OutboxMail).where(OutboxMail.kind.startswith("reminder.")))
    db.session.commit()
    return len(seen)


def test_a_run_costs_the_same_statements_whatever_the_overdue_checks(world, checking):
    """Issue 13: reminders are read, addressed and queued per batch, not per deadline or per mail."""
    escalating = date(2026, 3, 30)  # every check overdue and escalated to the commune's head
    dossier_in_state(world, "district_review")
    few = _statements_of_a_run(escalating)
    for _ in range(3):
        dossier_in_state(world, "district_review")
    assert _statements_of_a_run(escalating) == few
    run(escalating)
    assert len(mails("reminder.escalated")) == 5 and len(mails("reminder.overdue")) == 10


def test_one_run_writes_each_reminder_in_its_readers_language(world, checking):
    """The words are translated once per language for the run (notifications/phrasebook.py): an English and a
    Vietnamese reader of the same batch each get theirs, with the date in their own format."""
    world["officer"].locale = "en"
    db.session.commit()
    run(date(2026, 3, 20))
    english, vietnamese = mails("reminder.due_soon", world["officer"])[0], mails("reminder.due_soon", world["head"])[0]
    assert english.subject.startswith("[OCOP] Due soon:") and "23 Mar 2026" in english.subject
    assert vietnamese.subject.startswith("[OCOP] Sắp đến hạn:") and "23/03/2026" in vietnamese.subject
    assert "Dossier:" in english.body_text and "Hồ sơ:" in vietnamese.body_text
    assert 'lang="en"' in english.body_html and 'lang="vi"' in vietnamese.body_html


def test_a_batch_of_first_level_checks_does_not_read_the_map(world, checking):
    """The map of units is read for a batch only when a reminder looks above the reviewing unit (a decision, or an
    escalation from an abolished district): a commune's checks, overdue and escalated, need none of it."""
    with statements_run(fresh=True) as seen:
        run(date(2026, 3, 30))
    assert len(mails("reminder.escalated")) == 1
    assert not [statement for statement in seen if "FROM administrative_units" in statement]
