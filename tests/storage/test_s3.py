"""What only the S3 backend does: keys under the prefix, one client per app made on first use."""
from __future__ import annotations

import pytest

from ocop_tracker.extensions import db
from ocop_tracker.storage import current_storage

from ..documents.helpers import PDF, documents_of, upload
from ..factories import new_dossier
from .conftest import PREFIX, s3_settings


@pytest.fixture()
def app_config(s3_server, bucket) -> dict:
    return s3_settings(s3_server, bucket)


def test_objects_live_under_the_prefix_and_only_they_are_listed(app, s3_server, bucket):
    current_storage().put("c.pdf", b"pdf")
    other = s3_server.client()
    other.put_object(Bucket=bucket, Key="elsewhere.pdf", Body=b"not ours")
    other.put_object(Bucket=bucket, Key=f"{PREFIX}/nested/d.pdf", Body=b"not a stored name")
    keys = sorted(item["Key"] for item in other.list_objects_v2(Bucket=bucket)["Contents"])
    assert keys == ["elsewhere.pdf", f"{PREFIX}/c.pdf", f"{PREFIX}/nested/d.pdf"]
    assert [name for name, _modified in current_storage().names()] == ["c.pdf"]


def test_one_client_per_app_made_on_first_use(app, world, login_as):
    storage = current_storage()
    assert storage._client is None  # creating the app did not reach the network
    dossier = new_dossier(world, documents=False)
    db.session.commit()
    client = login_as("producer")
    assert upload(client, dossier).status_code == 302
    made = storage._client
    (document,) = documents_of(dossier)
    for _ in range(2):
        assert client.get(f"/dossiers/{dossier.id}/documents/{document.id}/file").data == PDF
    assert made is not None and storage._client is made and current_storage() is storage
