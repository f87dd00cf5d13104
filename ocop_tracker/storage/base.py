"""The interface every storage backend offers, and the one rule on names they all apply."""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from datetime import datetime
from pathlib import PurePosixPath

from flask import Response


class StorageConfigError(RuntimeError):
    """A storage setting that cannot work; raised when the app is created, before any request."""


def check_name(name: str) -> str:
    """Only a bare generated name is ever joined to a folder or a key prefix (no path, no hidden file)."""
    if (not name or PurePosixPath(name).name != name or "\\" in name or name.startswith(".")
            or len(name) > 80 or not name.isprintable()):
        raise ValueError(f"not a stored name: {name!r}")
    return name


class Storage(ABC):
    """Files kept under generated names; `get`, `open_response` and `delete` of a missing name behave alike."""

    kind: str = ""

    @abstractmethod
    def put(self, name: str, data: bytes) -> None:
        """Write the bytes durably: when this returns, a crash does not lose them."""

    @abstractmethod
    def get(self, name: str) -> bytes:
        """The stored bytes; FileNotFoundError when there are none."""

    @abstractmethod
    def exists(self, name: str) -> bool:
        """Whether a file is stored under the name."""

    @abstractmethod
    def delete(self, name: str) -> None:
        """Remove the file; a missing one is no error."""

    @abstractmethod
    def ping(self) -> None:
        """Raise when the storage cannot be written to or reached (a cheap check, for readiness)."""

    @abstractmethod
    def names(self) -> Iterator[tuple[str, datetime]]:
        """Every stored name with its modified time (timezone-aware UTC)."""

    @abstractmethod
    def open_response(self, name: str, *, mimetype: str, download_name: str, as_attachment: bool) -> Response:
        """A response streaming the file (not read into memory first); FileNotFoundError when there is none."""
