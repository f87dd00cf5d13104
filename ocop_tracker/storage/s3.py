"""The S3 backend: objects in a bucket of any S3-speaking service (MinIO, Ceph RGW, a government cloud, AWS)."""
from __future__ import annotations

import base64
import hashlib
import threading
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError
from flask import Response, send_file

from .base import Storage, StorageConfigError, check_name

REQUIRED = ("S3_ENDPOINT_URL", "S3_BUCKET", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY")
MISSING_CODES = {"404", "NoSuchKey", "NotFound"}


class S3Storage(Storage):
    kind = "s3"

    def __init__(self, config: Mapping) -> None:
        missing = [f"OCOP_{key}" for key in REQUIRED if not str(config.get(key) or "").strip()]
        if missing:
            raise StorageConfigError(f"STORAGE_BACKEND is 's3' but these settings are empty: {', '.join(missing)} "
                                     "(environment variables; in instance/config.py the names without OCOP_)")
        self.endpoint = str(config["S3_ENDPOINT_URL"]).strip()
        if not self.endpoint.startswith(("http://", "https://")):
            raise StorageConfigError(f"S3_ENDPOINT_URL must start with http:// or https://: {self.endpoint!r}")
        self.bucket = str(config["S3_BUCKET"]).strip()
        self.region = str(config.get("S3_REGION") or "us-east-1")
        prefix = str(config.get("S3_PREFIX") or "").strip("/")
        self.prefix = f"{prefix}/" if prefix else ""
        self._credentials = (str(config["S3_ACCESS_KEY_ID"]), str(config["S3_SECRET_ACCESS_KEY"]))
        self._client = None
        self._lock = threading.Lock()

    @property
    def client(self):
        """One boto3 client for the app (thread-safe once made), made on first use so start-up needs no network."""
        if self._client is None:
            with self._lock:
                if self._client is None:
                    self._client = self._make_client()
        return self._client

    def _make_client(self):
        config = Config(
            s3={"addressing_style": "path"},  # MinIO and Ceph RGW serve buckets by path, not by DNS name
            signature_version="s3v4",
            # Checksums only where the API demands them: older MinIO and Ceph refuse boto3's default trailers.
            request_checksum_calculation="when_required", response_checksum_validation="when_required",
            connect_timeout=5, read_timeout=60, retries={"max_attempts": 3, "mode": "standard"})
        access_key, secret_key = self._credentials
        return boto3.session.Session().client(
            "s3", endpoint_url=self.endpoint, region_name=self.region, aws_access_key_id=access_key,
            aws_secret_access_key=secret_key, config=config)

    def key(self, name: str) -> str:
        return self.prefix + check_name(name)

    def put(self, name: str, data: bytes) -> None:
        """S3 answers a PUT only once the object is stored; ContentMD5 makes it refuse damaged bytes."""
        digest = base64.b64encode(hashlib.md5(data, usedforsecurity=False).digest()).decode()
        self.client.put_object(Bucket=self.bucket, Key=self.key(name), Body=data, ContentMD5=digest,
                               ContentType="application/octet-stream")

    def _get_object(self, name: str) -> dict:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self.key(name))
        except ClientError as error:
            if _is_missing(error):
                raise FileNotFoundError(name) from error
            raise

    def get(self, name: str) -> bytes:
        body = self._get_object(name)["Body"]
        with body:
            return body.read()

    def exists(self, name: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self.key(name))
        except ClientError as error:
            if _is_missing(error):
                return False
            raise
        return True

    def delete(self, name: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.key(name))

    def ping(self) -> None:
        self.client.head_bucket(Bucket=self.bucket)

    def names(self) -> Iterator[tuple[str, datetime]]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix)
        for page in pages:
            for item in page.get("Contents", ()):
                name = item["Key"][len(self.prefix):]
                if name and "/" not in name and not name.startswith("."):
                    yield name, item["LastModified"].astimezone(UTC)

    def open_response(self, name: str, *, mimetype: str, download_name: str, as_attachment: bool) -> Response:
        """The body streamed in blocks as the client reads it; the WSGI server closes it at the end."""
        found = self._get_object(name)
        response = send_file(found["Body"], mimetype=mimetype, as_attachment=as_attachment,
                             download_name=download_name, last_modified=found.get("LastModified"), conditional=False,
                             etag=False)
        response.content_length = found["ContentLength"]
        return response


def _is_missing(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code") in MISSING_CODES
