"""Handing messages over: to an SMTP server, or as .eml files when none is configured (the embedded default)."""
from __future__ import annotations

import os
import smtplib
import ssl
from datetime import UTC
from email.header import Header
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime, parseaddr
from pathlib import Path

from ..text_rules import header_value
from .models import OutboxMail

SECURITY_MODES = ("starttls", "ssl", "none")


class MailPolicy(EmailPolicy):
    """The SMTP policy (RFC 2047 headers, CRLF), but a non-ASCII subject is encoded by email.header.Header.

    Python 3.11's header folder drops the space where it splits a long encoded subject, so a reader would see
    "được công nhậnsản phẩm"; Header keeps every space inside the encoded words.
    """

    def _subject(self, name, value) -> str | None:
        if name.lower() != "subject" or str(value).isascii():
            return None
        return f"{name}: {Header(str(value), 'utf-8', header_name=name).encode(linesep=self.linesep)}{self.linesep}"

    def fold(self, name, value):
        return self._subject(name, value) or super().fold(name, value)

    def fold_binary(self, name, value):
        folded = self._subject(name, value)
        return folded.encode("ascii") if folded else super().fold_binary(name, value)


MAIL_POLICY = MailPolicy(linesep="\r\n")


def build_message(mail: OutboxMail, sender: str) -> EmailMessage:
    """The outbox row as a MIME message: plain text with an HTML alternative, headers encoded for SMTP."""
    message = EmailMessage(policy=MAIL_POLICY)
    created = mail.created_at if mail.created_at.tzinfo else mail.created_at.replace(tzinfo=UTC)
    message["Message-ID"] = mail.message_id  # stable: a resent mail is recognisably the same mail
    message["Date"] = format_datetime(created)
    message["From"] = sender
    # Rows written before the input rules may hold a line break, which the email package refuses in a header.
    message["To"] = header_value(mail.to_address)
    message["Subject"] = header_value(mail.subject)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies to a robot
    message.set_content(mail.body_text)
    if mail.body_html:
        message.add_alternative(mail.body_html, subtype="html")
    return message


class SmtpTransport:
    """One connection for a batch, opened at the first message; a refused connection fails the batch quickly."""

    def __init__(self, config):
        self.host, self.port = config["SMTP_HOST"], int(config["SMTP_PORT"])
        self.security = str(config["SMTP_SECURITY"]).lower()
        if self.security not in SECURITY_MODES:
            raise ValueError(f"SMTP_SECURITY must be one of {', '.join(SECURITY_MODES)}, not {self.security!r}")
        self.username, self.password = str(config["SMTP_USERNAME"] or ""), str(config["SMTP_PASSWORD"] or "")
        self.timeout = float(config["SMTP_TIMEOUT"])
        self.sender = parseaddr(config["MAIL_FROM"])[1]
        self._smtp: smtplib.SMTP | None = None
        self._refused: str | None = None

    def describe(self) -> str:
        return f"SMTP {self.host}:{self.port} ({self.security})"

    def _connect(self) -> smtplib.SMTP:
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if self.security == "ssl":
            smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        else:
            smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            if self.security == "starttls":
                smtp.starttls(context=context)
        if self.username:
            smtp.login(self.username, self.password)
        return smtp

    def _connection(self) -> smtplib.SMTP:
        if self._refused:  # one try per batch: a server that is down is not asked fifty times
            raise ConnectionError(self._refused)
        if self._smtp is None:
            try:
                self._smtp = self._connect()
            except (OSError, smtplib.SMTPException) as exc:
                self._refused = f"{type(exc).__name__}: {exc}"
                raise
        return self._smtp

    def send(self, message: EmailMessage, to_address: str) -> None:
        try:
            self._connection().send_message(message, from_addr=self.sender, to_addrs=[to_address])
        except smtplib.SMTPServerDisconnected:
            self._smtp = None  # the next message reconnects
            raise

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (OSError, smtplib.SMTPException):
                pass  # the mails are already handed over or recorded as failed
            self._smtp = None


class EmlTransport:
    """Writes each message to <folder>/<message-id>.eml, so the whole flow works without a mail server."""

    def __init__(self, folder: Path):
        self.folder = folder

    def describe(self) -> str:
        return f".eml files in {self.folder}"

    def path_for(self, message: EmailMessage) -> Path:
        name = "".join(c if c.isalnum() or c in "@.-_" else "_" for c in message["Message-ID"].strip("<>"))
        return self.folder / f"{name}.eml"

    def send(self, message: EmailMessage, to_address: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.path_for(message)
        partial = target.with_name(f"{target.name}.{os.getpid()}.part")
        partial.write_bytes(message.as_bytes())
        partial.replace(target)  # a reader never sees half a file

    def close(self) -> None:
        return None


def open_transport(app) -> SmtpTransport | EmlTransport:
    """SMTP when SMTP_HOST is set, else .eml files under the instance folder."""
    if app.config.get("SMTP_HOST"):
        return SmtpTransport(app.config)
    return EmlTransport(Path(app.instance_path) / "outbox")
