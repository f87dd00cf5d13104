"""A value stored before the input rules (a line break in a product name, an address) never stops a mail, and
never adds a header or a recipient."""
from __future__ import annotations

import email
import email.policy
from pathlib import Path

from ocop_tracker.extensions import db
from ocop_tracker.notifications.models import OutboxMail
from ocop_tracker.notifications.sender import send_batch
from ocop_tracker.notifications.services import queue_mail

from ..factories import fire, new_dossier

INJECTED = "Cao\r\nBcc: attacker@example.com"


def _outbox() -> list[OutboxMail]:
    return list(db.session.scalars(db.select(OutboxMail).order_by(OutboxMail.id)))


def test_a_product_name_stored_with_a_line_break_still_gets_its_mails_sent(world, smtp):
    dossier = new_dossier(world)
    dossier.product.name = INJECTED  # written straight to the database, as before the form refused it
    db.session.commit()
    fire(world, dossier, "submit", "producer")
    db.session.commit()
    queued = _outbox()
    assert {m.to_address for m in queued} >= {"producer@test.local", "officer@test.local"}
    assert all("\r" not in m.subject and "\n" not in m.subject and "Cao Bcc: attacker" in m.subject for m in queued)
    report = send_batch()
    assert (report.sent, report.retrying, report.failed) == (len(queued), 0, 0)
    assert sorted(a for e in smtp.inbox.envelopes for a in e.rcpt_tos) == sorted(m.to_address for m in queued)
    for message in smtp.inbox.messages():
        assert message["Bcc"] is None and "Cao Bcc: attacker@example.com" in message["Subject"]


def test_an_outbox_row_holding_line_breaks_is_sent_with_one_line_headers(app, world):
    db.session.add(OutboxMail(message_id="<stored-before@ocop-tracker>", kind="test", recipient_id=world["producer"].id,
                              to_address="producer@test.local\r\n", body_text="Thư cũ.\n", body_html="",
                              subject="[OCOP] Hồ sơ Cao\r\nBcc: attacker@example.com\u2028\x85cần bổ sung"))
    db.session.commit()
    report = send_batch()  # no SMTP server configured: .eml files in the instance folder
    assert (report.sent, report.retrying, report.failed) == (1, 0, 0)
    [written] = (Path(app.instance_path) / "outbox").glob("*.eml")
    message = email.message_from_bytes(written.read_bytes(), policy=email.policy.default)
    assert message["Bcc"] is None and message["To"] == "producer@test.local"
    assert message["Subject"] == "[OCOP] Hồ sơ Cao Bcc: attacker@example.com cần bổ sung"


def test_a_subject_longer_than_its_column_is_shortened_not_refused(world):
    """A 200-character product name in a long reminder subject must not overflow the 255-character column
    (PostgreSQL would refuse the whole transaction)."""
    mail = queue_mail(world["producer"], kind="test", subject="[OCOP] Quá hạn: " + "Chè " * 80, text="…")
    db.session.commit()
    assert len(mail.subject) == 255 and mail.subject.endswith("…")
