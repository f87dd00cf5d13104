"""Where uploaded documents and decision PDFs are kept: a folder (the default) or S3-compatible object storage.

`init_app` picks the backend from STORAGE_BACKEND when the app is created (a wrong setting stops start-up);
`current_storage()` is that backend; `put_new` stores fresh bytes under a generated name tied to the transaction;
`send_stored` serves a stored file as a response.
"""
from __future__ import annotations

from flask import Flask

from .base import Storage, StorageConfigError, check_name
from .pending import put_new, watch_transactions
from .serving import FILE_POLICY, send_stored
from .setup import EXTENSION_KEY, check_grace_hours, current_storage, folder_path, make_storage

__all__ = ["FILE_POLICY", "Storage", "StorageConfigError", "check_name", "current_storage", "folder_path",
           "init_app", "put_new", "send_stored"]


def init_app(app: Flask) -> None:
    check_grace_hours(app.config.get("SWEEP_GRACE_HOURS"))
    app.extensions[EXTENSION_KEY] = make_storage(app)
    watch_transactions()
