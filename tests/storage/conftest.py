"""The storage tests run every test on both backends: the instance folder and a real S3-speaking server (moto's
standalone server on a free port, one fresh bucket per test)."""
from __future__ import annotations

import socket
import uuid
from dataclasses import dataclass

import boto3
import pytest
from moto.server import ThreadedMotoServer

PREFIX = "ocop/files"  # the S3 tests keep their objects under a prefix, as a shared bucket would


@dataclass
class S3Server:
    endpoint: str

    def client(self):
        return boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1",
                            aws_access_key_id="test-key", aws_secret_access_key="test-secret")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server():
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield S3Server(f"http://127.0.0.1:{port}")
    server.stop()


def s3_settings(server: S3Server, bucket: str) -> dict:
    return {"STORAGE_BACKEND": "s3", "S3_ENDPOINT_URL": server.endpoint, "S3_BUCKET": bucket,
            "S3_ACCESS_KEY_ID": "test-key", "S3_SECRET_ACCESS_KEY": "test-secret", "S3_PREFIX": PREFIX}


@pytest.fixture()
def bucket(s3_server) -> str:
    name = f"ocop-{uuid.uuid4().hex[:12]}"
    s3_server.client().create_bucket(Bucket=name)
    return name


@pytest.fixture(params=["folder", "s3"])
def app_config(request) -> dict:
    """The settings of the `app` fixture: each storage test runs once per backend."""
    if request.param == "folder":
        return {"STORAGE_BACKEND": "folder"}
    return s3_settings(request.getfixturevalue("s3_server"), request.getfixturevalue("bucket"))
