"""The folder backend: files in one directory on this machine (the embedded default), written durably."""
from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from flask import Response, send_file

from .base import Storage, StorageConfigError, check_name

TEMP_PREFIX = ".tmp-"  # a hidden name: never a stored name, never listed


class FolderStorage(Storage):
    kind = "folder"

    def __init__(self, root: Path) -> None:
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StorageConfigError(f"the storage folder {root} cannot be created: {error}") from error
        self.root = root

    def path(self, name: str) -> Path:
        return self.root / check_name(name)

    def put(self, name: str, data: bytes) -> None:
        """Temp file in the same folder, fsync, atomic rename, fsync the folder: all of the file or none of it."""
        target = self.path(name)
        temp = self.root / f"{TEMP_PREFIX}{secrets.token_hex(8)}"
        try:
            with open(temp, "xb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, target)
        finally:
            temp.unlink(missing_ok=True)
        fsync_directory(self.root)  # the rename itself survives a crash only once the directory is synced

    def get(self, name: str) -> bytes:
        return self.path(name).read_bytes()

    def exists(self, name: str) -> bool:
        return self.path(name).is_file()

    def delete(self, name: str) -> None:
        self.path(name).unlink(missing_ok=True)

    def ping(self) -> None:
        if not self.root.is_dir():
            raise OSError(f"the storage folder {self.root} does not exist")
        if not os.access(self.root, os.W_OK | os.X_OK):
            raise OSError(f"the storage folder {self.root} is not writable")

    def names(self) -> Iterator[tuple[str, datetime]]:
        with os.scandir(self.root) as entries:
            for entry in entries:
                if entry.name.startswith(".") or not entry.is_file(follow_symlinks=False):
                    continue
                yield entry.name, datetime.fromtimestamp(entry.stat().st_mtime, UTC)

    def open_response(self, name: str, *, mimetype: str, download_name: str, as_attachment: bool) -> Response:
        path = self.path(name)
        if not path.is_file():
            raise FileNotFoundError(name)
        return send_file(path, mimetype=mimetype, as_attachment=as_attachment, download_name=download_name)


def fsync_directory(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
