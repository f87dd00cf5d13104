"""A real SMTP server on a free loopback port, and mails queued through the real outbox service."""
from __future__ import annotations

import email
import email.policy
import socket
import threading
from collections import Counter
from datetime import UTC, datetime

import pytest
from aiosmtpd.controller import Controller

from ocop_tracker.extensions import db
from ocop_tracker.notifications.models import OutboxMail
from ocop_tracker.notifications.services import queue_mail

VIETNAMESE_SUBJECT = "Hồ sơ Chè Mỹ Tân đã được tiếp nhận"


def free_port() -> int:
    """A loopback port nothing listens on (the socket is closed again at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """aiosmtpd handler: keeps every message the server accepts; refuses recipients starting with 'refused'."""

    def __init__(self):
        self.envelopes = []
        self.lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("refused"):
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self) -> list[email.message.EmailMessage]:
        return [email.message_from_bytes(e.content, policy=email.policy.default) for e in self.envelopes]

    def per_message_id(self) -> Counter:
        return Counter(message["Message-ID"] for message in self.messages())


class SmtpServer:
    """Starts and stops a real SMTP server on one port, so a test can take it down and bring it back."""

    def __init__(self, port: int):
        self.port, self.inbox, self.controller = port, Inbox(), None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def point_at(app, port: int) -> None:
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_SECURITY="none", SMTP_TIMEOUT=5)


@pytest.fixture()
def smtp(app):
    """A running SMTP server the app sends to."""
    server = SmtpServer(free_port())
    server.start()
    point_at(app, server.port)
    yield server
    server.stop()


def queue(world, count: int = 1, who: str = "producer", subject: str = VIETNAMESE_SUBJECT) -> list[OutboxMail]:
    """Pending mails to one user, committed (as an event's transaction would)."""
    mails = [queue_mail(world[who], kind="test", subject=subject, text=f"Thư số {n}: đã tiếp nhận.\n",
                        html=f"<p>Thư số {n}: đã tiếp nhận.</p>") for n in range(count)]
    db.session.commit()
    return mails


def utc(moment: datetime | None) -> datetime | None:
    """SQLite hands timestamps back without their zone; they are stored in UTC."""
    if moment is None or moment.tzinfo:
        return moment
    return moment.replace(tzinfo=UTC)


def reload(mail: OutboxMail) -> OutboxMail:
    db.session.expire_all()
    return db.session.get(OutboxMail, mail.id)
