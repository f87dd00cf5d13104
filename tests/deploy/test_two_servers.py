"""Two app servers as docs/deploy.md sets them up: separate instance folders, one PostgreSQL, one S3 bucket, one
secret key. A document sent to one is served by the other; two mail senders deliver each mail once."""
from __future__ import annotations

import importlib.util
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from ocop_tracker.documents.samples import minimal_pdf
from ocop_tracker.extensions import db
from ocop_tracker.notifications.models import OutboxMail

from ..factories import PASSWORD, new_dossier
from ..notifications.conftest import SmtpServer, free_port, queue

pytestmark = pytest.mark.postgres_only
ROOT = Path(__file__).resolve().parents[2]
# The smoke test's tiny HTTP client (cookies, CSRF forms, bearer tokens, multipart), shared rather than copied.
_spec = importlib.util.spec_from_file_location("smoke_steps", ROOT / "deploy" / "smoke_steps.py")
smoke_steps = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(smoke_steps)
BIN = Path(sys.executable).parent
BUCKET = "ocop-two-servers"


@pytest.fixture()
def postgres(backend):
    if backend != "postgresql":
        pytest.skip("two app servers share one PostgreSQL database: set OCOP_TEST_DATABASE_URL")


def _wait_for(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} did not answer in time")


def _stop(process: subprocess.Popen) -> str:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        output, _ = process.communicate(timeout=40)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    return output


@pytest.fixture()
def shared(postgres, database_url, tmp_path):
    """The environment both servers share: the database, an S3 server (moto) with its bucket, the secret key."""
    import boto3

    port = free_port()
    moto = subprocess.Popen([str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    endpoint = f"http://127.0.0.1:{port}"
    try:
        _wait_for(f"{endpoint}/moto-api/", moto)
        s3 = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="test", aws_secret_access_key="test",
                          region_name="us-east-1")
        s3.create_bucket(Bucket=BUCKET)
        yield {"environment": os.environ | {
            "OCOP_DATABASE_URL": database_url, "OCOP_SECRET_KEY": secrets.token_urlsafe(32),
            "OCOP_STORAGE_BACKEND": "s3", "OCOP_S3_ENDPOINT_URL": endpoint, "OCOP_S3_BUCKET": BUCKET,
            "OCOP_S3_ACCESS_KEY_ID": "test", "OCOP_S3_SECRET_ACCESS_KEY": "test", "OCOP_S3_REGION": "us-east-1"},
            "s3": s3, "root": tmp_path}
    finally:
        _stop(moto)


def _instance(shared, name: str, **extra: str) -> dict:
    return shared["environment"] | {"OCOP_INSTANCE_PATH": str(shared["root"] / name)} | extra


@pytest.fixture()
def servers(shared):
    """Two gunicorn servers with the shipped config, one worker each, each with its own instance folder."""
    started = []
    try:
        for name in ("a", "b"):
            port = free_port()
            environment = _instance(shared, name, GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="1",
                                    OCOP_BASE_URL=f"http://127.0.0.1:{port}")
            process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
                                       cwd=ROOT, env=environment, text=True,
                                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
            started.append(process)
            _wait_for(f"http://127.0.0.1:{port}/login", process)
            started[-1].base = f"http://127.0.0.1:{port}"
        yield started
    finally:
        for process in started:
            _stop(process)


def _objects(shared) -> int:
    return shared["s3"].list_objects_v2(Bucket=BUCKET).get("KeyCount", 0)


def test_a_document_uploaded_through_one_server_is_downloaded_through_the_other(world, shared, servers):
    a, b = servers
    dossier = new_dossier(world, documents=False)
    db.session.commit()
    on_a = smoke_steps.api_token(a.base, "producer", PASSWORD)
    kind = on_a.json("GET", f"/api/v1/dossiers/{dossier.id}")["missing_documents"][0]
    content = minimal_pdf(f"two servers {secrets.token_hex(8)}")
    document = on_a.upload(f"/api/v1/dossiers/{dossier.id}/documents", {"kind": kind}, "mau-01.pdf", content,
                           "application/pdf")

    on_b = smoke_steps.Http(b.base, on_a.token)  # the token is a row in the shared database
    status, back, _ = on_b.request("GET", f"/api/v1/dossiers/{dossier.id}/documents/{document['id']}/file")
    assert status == 200, back[:300]
    assert back == content
    assert _objects(shared) == 1  # in the bucket, not on either server's disk
    for name in ("a", "b"):
        uploads = shared["root"] / name / "uploads"
        assert not uploads.exists() or not any(path.is_file() for path in uploads.rglob("*"))


def test_a_browser_signed_in_on_one_server_stays_signed_in_on_the_other(world, servers):
    a, b = servers
    browser = smoke_steps.Http(a.base)
    browser.form("/login", {"username": "producer", "password": PASSWORD})
    on_b = smoke_steps.Http(b.base, jar=browser.jar, redirects=False)  # the same cookies, the other server
    status, page, _ = on_b.request("GET", "/profile")
    assert status == 200, status  # a session the other server cannot read is a 302 to /login
    assert b"producer" in page


def _sent() -> dict[str, int]:
    db.session.expire_all()
    statuses = dict(db.session.execute(db.select(OutboxMail.status, db.func.count()).group_by(OutboxMail.status)).all())
    db.session.rollback()
    return statuses


def test_two_looping_senders_on_two_servers_deliver_each_mail_once(world, shared):
    smtp = SmtpServer(free_port())
    smtp.start()
    mails = queue(world, 24)
    command = [sys.executable, "-m", "flask", "--app", "ocop_tracker", "send-mail", "--loop", "--interval", "1",
               "--batch", "3"]
    senders = [subprocess.Popen(command, cwd=ROOT, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                env=_instance(shared, f"sender-{name}", OCOP_SMTP_HOST="127.0.0.1",
                                              OCOP_SMTP_PORT=str(smtp.port), OCOP_SMTP_SECURITY="none"))
               for name in ("a", "b")]
    try:
        deadline = time.monotonic() + 60
        while _sent() != {"sent": len(mails)}:
            assert all(sender.poll() is None for sender in senders), [_stop(s) for s in senders]
            assert time.monotonic() < deadline, _sent()
            time.sleep(0.3)
    finally:
        outputs = [_stop(sender) for sender in senders]
        smtp.stop()
    assert [sender.returncode for sender in senders] == [0, 0], outputs
    delivered = smtp.inbox.per_message_id()
    assert sorted(delivered) == sorted(mail.message_id for mail in mails)
    assert set(delivered.values()) == {1}
    reported = sum(int(n) for output in outputs for n in re.findall(r"^(\d+) sent", output, re.MULTILINE))
    assert reported == len(mails)
