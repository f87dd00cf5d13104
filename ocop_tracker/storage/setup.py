"""Choosing the backend when the app is created, and finding it again in a request or a command."""
from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from .base import Storage, StorageConfigError
from .folder import FolderStorage

EXTENSION_KEY = "ocop_storage"
BACKENDS = ("folder", "s3")


def folder_path(app: Flask) -> Path:
    """The folder backend's root: STORAGE_FOLDER (relative to the instance folder) or <instance>/uploads."""
    configured = str(app.config.get("STORAGE_FOLDER") or "").strip()
    return Path(app.instance_path) / (configured or "uploads")


def make_storage(app: Flask) -> Storage:
    """The backend the settings name; StorageConfigError when they cannot work."""
    backend = str(app.config.get("STORAGE_BACKEND") or "folder").strip().lower()
    if backend == "folder":
        return FolderStorage(folder_path(app))
    if backend == "s3":
        from .s3 import S3Storage  # boto3 is imported only by installations that use it

        return S3Storage(app.config)
    raise StorageConfigError(f"unknown STORAGE_BACKEND {backend!r}: use one of {', '.join(BACKENDS)}")


def current_storage() -> Storage:
    """The app's backend (one per app: the S3 one keeps one client)."""
    return current_app.extensions[EXTENSION_KEY]


def check_grace_hours(value) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise StorageConfigError(f"SWEEP_GRACE_HOURS must be a number of hours, 0 or more: {value!r}")
    return float(value)
