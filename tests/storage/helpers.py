"""Helpers of the storage tests: a big picture, an API caller, a decision with its signed PDF, what is stored."""
from __future__ import annotations

import io
import os

from PIL import Image

from ocop_tracker.documents.samples import minimal_pdf
from ocop_tracker.extensions import db
from ocop_tracker.storage import current_storage

from ..factories import PASSWORD, decide, dossier_in_state

SIGNED = minimal_pdf("Quyết định 12/QĐ-UBND")


def noise_png(side: int = 1000) -> bytes:
    """About 3 MB that no compression shrinks: a download must bring back every byte."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buffer, format="PNG")
    return buffer.getvalue()


def api_call(client, who: str, method: str, path: str, **kwargs):
    token = client.post("/api/v1/auth/token", json={"username": who, "password": PASSWORD}).get_json()["token"]
    return client.open(f"/api/v1{path}", method=method, headers={"Authorization": f"Bearer {token}"}, **kwargs)


def decision_with_file(world, client, data: bytes = SIGNED):
    """A recognition decision whose signed PDF was attached through the API."""
    decision = decide(world, dossier_in_state(world, "awaiting_decision"))
    db.session.commit()
    attached = api_call(client, "province_officer", "PUT", f"/decisions/{decision.id}/file",
                        data={"file": (io.BytesIO(data), "qđ 12.pdf")})
    assert attached.status_code == 200, attached.get_data(as_text=True)
    db.session.refresh(decision)
    return decision


def stored_names() -> set[str]:
    return {name for name, _modified in current_storage().names()}


def remove_storage(app_config: dict, request) -> None:
    """Take the storage away under the app: the folder removed, or the bucket deleted."""
    if app_config["STORAGE_BACKEND"] == "folder":
        current_storage().root.rmdir()
    else:
        request.getfixturevalue("s3_server").client().delete_bucket(Bucket=app_config["S3_BUCKET"])
