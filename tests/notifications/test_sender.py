"""The sender against a real SMTP server: multipart mails, retries with backoff, one delivery per mail."""
from __future__ import annotations

import email
import email.policy
import shutil
import ssl
import subprocess
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from ocop_tracker.extensions import db
from ocop_tracker.models_base import utcnow
from ocop_tracker.notifications.models import MailAttempt, OutboxMail
from ocop_tracker.notifications.sender import send_batch

from .conftest import VIETNAMESE_SUBJECT, Inbox, SmtpServer, free_port, point_at, queue, reload, utc

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)


def _attempts(mail: OutboxMail) -> list[MailAttempt]:
    return list(db.session.scalars(db.select(MailAttempt).filter_by(mail_id=mail.id).order_by(MailAttempt.id)))


def test_server_receives_multipart_mail_with_encoded_vietnamese_subject(world, smtp):
    mail = queue(world)[0]
    report = send_batch()
    assert (report.claimed, report.sent) == (1, 1)
    envelope = smtp.inbox.envelopes[0]
    assert envelope.rcpt_tos == ["producer@test.local"] and envelope.mail_from == "no-reply@ocop.local"
    raw_subject = next(line for line in envelope.content.split(b"\r\n") if line.startswith(b"Subject:"))
    assert b"=?utf-8?" in raw_subject and raw_subject.isascii()
    message = smtp.inbox.messages()[0]
    assert message["Subject"] == VIETNAMESE_SUBJECT
    assert message["Message-ID"] == mail.message_id and message["To"] == "producer@test.local"
    assert message.get_content_type() == "multipart/alternative"
    assert message.get_body(("plain",)).get_content().splitlines() == ["Thư số 0: đã tiếp nhận."]
    assert "<p>Thư số 0: đã tiếp nhận.</p>" in message.get_body(("html",)).get_content()
    sent = reload(mail)
    assert (sent.status, sent.attempts, sent.claim_token) == ("sent", 1, None) and sent.sent_at is not None
    assert [a.succeeded for a in _attempts(sent)] == [True]


@pytest.mark.parametrize("subject", [  # Python 3.11's own folding lost the space at the fold in these two
    "[OCOP] Chè Mỹ Tân được công nhận sản phẩm OCOP 3 sao", "[OCOP] Đã tiếp nhận hồ sơ Cao xạ đen Cao Dương",
    "[OCOP] Hồ sơ Tinh bột nghệ đen Nhưng Vần đã được chuyển Hội đồng đánh giá của huyện Lạc Sơn"])
def test_long_vietnamese_subject_keeps_every_space_when_folded(world, smtp, subject):
    queue(world, subject=subject)
    send_batch()
    header = smtp.inbox.envelopes[0].content.split(b"\r\n\r\n")[0].split(b"Subject: ")[1].split(b"\r\nAuto-Submitted:")[0]
    assert header.count(b"=?utf-8?") >= 2 and max(map(len, header.split(b"\r\n"))) <= 78
    assert smtp.inbox.messages()[0]["Subject"] == subject


def test_server_down_keeps_mails_pending_then_sends_each_once_after_the_backoff(app, world):
    server = SmtpServer(free_port())
    point_at(app, server.port)  # nothing listens there yet
    mails = queue(world, 3)
    assert send_batch(now=T0).retrying == 3
    for mail in map(reload, mails):
        assert (mail.status, mail.attempts) == ("pending", 1)
        assert utc(mail.next_attempt_at) == T0 + timedelta(minutes=1)
        assert "Connection" in mail.last_error and _attempts(mail)[0].error == mail.last_error
    server.start()
    try:
        assert send_batch(now=T0 + timedelta(seconds=30)).claimed == 0  # the backoff is not over
        assert send_batch(now=T0 + timedelta(minutes=2)).sent == 3
        assert send_batch(now=T0 + timedelta(hours=1)).claimed == 0
    finally:
        server.stop()
    assert sorted(server.inbox.per_message_id().items()) == sorted((m.message_id, 1) for m in mails)
    assert [a.succeeded for a in _attempts(mails[0])] == [False, True]


def test_refused_recipient_fails_alone_and_the_batch_goes_on(world, smtp):
    world["officer"].email = "refused@test.local"
    refused = queue(world, who="officer")[0]
    fine = queue(world)[0]
    report = send_batch(now=T0)
    assert (report.sent, report.retrying) == (1, 1)
    assert reload(fine).status == "sent" and smtp.inbox.per_message_id() == {fine.message_id: 1}
    assert "550" in reload(refused).last_error and reload(refused).status == "pending"


def test_mail_failing_max_attempts_times_ends_failed(app, world):
    point_at(app, free_port())
    mail = queue(world)[0]
    moment = T0
    for tries in range(1, app.config["MAIL_MAX_ATTEMPTS"] + 1):
        send_batch(now=moment)
        assert reload(mail).attempts == tries
        moment += timedelta(hours=5)  # past every backoff step
    failed = reload(mail)
    assert (failed.status, len(_attempts(failed))) == ("failed", app.config["MAIL_MAX_ATTEMPTS"])
    assert send_batch(now=moment + timedelta(days=1)).claimed == 0


def test_backoff_grows_with_each_failure(app, world):
    point_at(app, free_port())
    mail = queue(world)[0]
    waits, moment = [], T0
    for _ in range(4):
        send_batch(now=moment)
        waits.append(utc(reload(mail).next_attempt_at) - moment)
        moment = utc(reload(mail).next_attempt_at)
    assert waits == [timedelta(minutes=m) for m in (1, 5, 15, 60)]


def _drain(app, batch: int, start: threading.Barrier, errors: list) -> None:
    """One sender process: its own app context, so its own session and connection."""
    with app.app_context():
        try:
            start.wait(30)
            while send_batch(batch=batch).claimed:
                pass
        except Exception as exc:  # noqa: BLE001  reported by the test
            errors.append(exc)
        finally:
            db.session.remove()


@pytest.mark.committing  # two senders in threads, each with its own connection
def test_two_senders_at_once_deliver_each_mail_exactly_once(app, world, smtp):
    mails = queue(world, 40)
    start, errors = threading.Barrier(2), []
    senders = [threading.Thread(target=_drain, args=(app, 3, start, errors)) for _ in range(2)]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join(120)
    assert not errors
    assert smtp.inbox.per_message_id() == {mail.message_id: 1 for mail in mails}
    db.session.expire_all()
    assert set(db.session.scalars(db.select(OutboxMail.status))) == {"sent"}
    assert db.session.scalar(db.select(db.func.count(MailAttempt.id))) == 40


def test_claim_of_a_crashed_sender_is_taken_back_after_the_lease(app, world, smtp):
    crashed, fresh = queue(world, 2)
    lease = timedelta(seconds=app.config["MAIL_CLAIM_LEASE_SECONDS"])
    for mail, claimed_at in ((crashed, T0 - lease - timedelta(seconds=1)), (fresh, T0 - timedelta(seconds=5))):
        mail.status, mail.claim_token, mail.claimed_at = "sending", "another-sender", claimed_at
    db.session.commit()
    assert send_batch(now=T0).sent == 1
    assert smtp.inbox.per_message_id() == {crashed.message_id: 1}
    assert reload(fresh).status == "sending"  # still the other sender's


def test_stop_between_mails_gives_the_rest_back(world, smtp):
    mails = queue(world, 3)
    stop = threading.Event()
    stop.set()
    report = send_batch(stop=stop)
    assert (report.claimed, report.sent) == (3, 0) and not smtp.inbox.envelopes
    assert {(reload(m).status, reload(m).claim_token) for m in mails} == {("pending", None)}


def test_eml_files_written_when_no_smtp_is_configured(app, world):
    assert app.config["SMTP_HOST"] == ""
    mails = queue(world, 2)
    assert send_batch().sent == 2
    files = sorted((Path(app.instance_path) / "outbox").glob("*.eml"))
    parsed = {m["Message-ID"]: m for m in (email.message_from_bytes(f.read_bytes(), policy=email.policy.default)
                                           for f in files)}
    assert set(parsed) == {mail.message_id for mail in mails}
    message = parsed[mails[0].message_id]
    assert message["Subject"] == VIETNAMESE_SUBJECT and message["To"] == "producer@test.local"
    assert message.get_body(("plain",)).get_content().startswith("Thư số")
    assert message.get_body(("html",)) is not None
    assert all(reload(mail).status == "sent" for mail in mails)


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_smtp_login_uses_the_configured_account(app, world):
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login, auth_data.password))
        return AuthResult(success=auth_data.password == b"mat-khau-smtp")

    inbox, port = Inbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=authenticator,
                            auth_require_tls=False, auth_required=True)
    controller.start()
    try:
        point_at(app, port)
        app.config.update(SMTP_USERNAME="ocop", SMTP_PASSWORD="mat-khau-smtp")
        queue(world)
        assert send_batch(now=utcnow()).sent == 1
        app.config.update(SMTP_PASSWORD="sai", SMTP_TIMEOUT=1)  # aiosmtpd lets smtplib's next mechanism hang
        queue(world)
        assert send_batch(now=utcnow()).retrying == 1
    finally:
        controller.stop()
    assert logins == [(b"ocop", b"mat-khau-smtp"), (b"ocop", b"sai")] and len(inbox.envelopes) == 1


@pytest.fixture()
def certificate(tmp_path, monkeypatch):
    """A self-signed certificate for 127.0.0.1 that this test's clients trust (SSL_CERT_FILE)."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command makes the test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_encrypted_connections_deliver(app, world, certificate, security):
    inbox, port = Inbox(), free_port()
    options = {"tls_context": certificate, "require_starttls": True} if security == "starttls" else \
        {"ssl_context": certificate}
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **options)
    controller.start()
    try:
        point_at(app, port)
        app.config["SMTP_SECURITY"] = security
        mail = queue(world)[0]
        assert send_batch().sent == 1, reload(mail).last_error
    finally:
        controller.stop()
    assert inbox.per_message_id() == {mail.message_id: 1}
