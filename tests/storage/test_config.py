"""Storage settings that cannot work stop the app at start-up, saying which setting is wrong."""
from __future__ import annotations

import pytest

from ocop_tracker import create_app
from ocop_tracker.storage import StorageConfigError

S3 = {"STORAGE_BACKEND": "s3", "S3_ENDPOINT_URL": "http://127.0.0.1:9000", "S3_BUCKET": "ocop",
      "S3_ACCESS_KEY_ID": "key", "S3_SECRET_ACCESS_KEY": "secret"}


def _start(tmp_path, **settings):
    return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite3'}", "SECRET_KEY": "x",
                       **settings}, instance_path=str(tmp_path / "instance"))


@pytest.mark.parametrize(("settings", "message"), [
    ({"STORAGE_BACKEND": "nfs"}, "unknown STORAGE_BACKEND 'nfs': use one of folder, s3"),
    ({"STORAGE_BACKEND": "s3"}, ("these settings are empty: OCOP_S3_ENDPOINT_URL, OCOP_S3_BUCKET, "
                                 "OCOP_S3_ACCESS_KEY_ID, OCOP_S3_SECRET_ACCESS_KEY")),
    ({**S3, "S3_SECRET_ACCESS_KEY": " "}, "these settings are empty: OCOP_S3_SECRET_ACCESS_KEY"),
    ({**S3, "S3_ENDPOINT_URL": "minio:9000"}, "S3_ENDPOINT_URL must start with http:// or https://"),
    ({"SWEEP_GRACE_HOURS": -1}, "SWEEP_GRACE_HOURS must be a number of hours, 0 or more"),
    ({"SWEEP_GRACE_HOURS": "a day"}, "SWEEP_GRACE_HOURS must be a number of hours, 0 or more"),
])
def test_a_setting_that_cannot_work_stops_start_up(tmp_path, settings, message):
    with pytest.raises(StorageConfigError) as refused:
        _start(tmp_path, **settings)
    assert message in str(refused.value)


def test_environment_variables_choose_s3_without_reaching_it_at_start_up(tmp_path, monkeypatch):
    for name, value in {**S3, "S3_PREFIX": "/ocop/", "SWEEP_GRACE_HOURS": "6"}.items():
        monkeypatch.setenv(f"OCOP_{name}", value)
    app = _start(tmp_path)
    storage = app.extensions["ocop_storage"]
    assert (storage.kind, storage.bucket, storage.prefix, storage.region) == ("s3", "ocop", "ocop/", "us-east-1")
    assert storage._client is None and app.config["SWEEP_GRACE_HOURS"] == 6
