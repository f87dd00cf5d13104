"""The backup archive: an uncompressed tar of the database, the files under files/, and manifest.json last."""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tarfile
from pathlib import Path
from typing import IO, BinaryIO

from .databases import BackupError

FORMAT = "ocop-tracker-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
STORED_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,79}")  # a generated name, never a path
CHUNK = 1024 * 1024
REQUIRED_KEYS = ("created_at", "app_version", "dialect", "tables", "files_archived")


class HashingReader:
    """Reads through a file once, hashing what tar copies (no second pass over large files)."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw, self.sha256, self.size = raw, hashlib.sha256(), 0

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data


def add_file(tar: tarfile.TarFile, member: str, path: Path) -> dict:
    """Append one file; its manifest entry (archive name, size, sha256)."""
    with path.open("rb") as raw:
        info = tarfile.TarInfo(member)
        info.size, info.mtime, info.mode = os.fstat(raw.fileno()).st_size, int(path.stat().st_mtime), 0o600
        reader = HashingReader(raw)
        tar.addfile(info, reader)
    return {"name": member, "size": info.size, "sha256": reader.sha256.hexdigest()}


def add_manifest(tar: tarfile.TarFile, manifest: dict) -> None:
    data = json.dumps(manifest, indent=2, ensure_ascii=False).encode()
    info = tarfile.TarInfo(MANIFEST)
    info.size, info.mode, info.mtime = len(data), 0o600, 0
    tar.addfile(info, io.BytesIO(data))


def open_archive(path: Path) -> tuple[tarfile.TarFile, dict]:
    """The open tar and its checked manifest; a damaged or foreign archive is refused."""
    try:
        tar = tarfile.open(path, "r:")  # noqa: SIM115  returned open to the caller, who closes it
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"{path} is not a readable OCOP Tracker backup (damaged or truncated?): {error}") from error
    try:
        return tar, _checked_manifest(path, tar)
    except BackupError:
        tar.close()
        raise


def _checked_manifest(path: Path, tar: tarfile.TarFile) -> dict:
    try:
        members = {member.name: member for member in tar.getmembers()}
        stream = tar.extractfile(members[MANIFEST]) if MANIFEST in members else None  # None: not a regular file
        manifest = json.loads(stream.read()) if stream is not None else None
    except (OSError, tarfile.TarError, ValueError) as error:
        raise BackupError(f"{path} is not a readable OCOP Tracker backup (damaged or truncated?): {error}") from error
    if not isinstance(manifest, dict):
        raise BackupError(f"{path} has no {MANIFEST} (damaged or truncated?): not a complete `flask backup` archive")
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"{path} is not a version-{FORMAT_VERSION} OCOP Tracker backup")
    try:
        expected = {entry["name"] for entry in entries(manifest)} | {MANIFEST}
    except (KeyError, TypeError) as error:
        raise BackupError(f"{path} has a damaged manifest: {error!r} missing or malformed") from error
    if absent := [key for key in REQUIRED_KEYS if key not in manifest]:
        raise BackupError(f"{path} has a damaged manifest: {', '.join(absent)} missing")
    if set(members) != expected:
        extra, missing = sorted(set(members) - expected), sorted(expected - set(members))
        raise BackupError(f"{path} is damaged: members not in the manifest {extra[:5]}, missing {missing[:5]}")
    return manifest


def entries(manifest: dict) -> list[dict]:
    """Every member the manifest vouches for: the database, then the files (names checked, never a path)."""
    listed = [manifest["database"], *manifest["files"]]
    for entry in manifest["files"]:
        folder, _, name = entry["name"].partition("/")
        if folder != "files" or not STORED_NAME.fullmatch(name):
            raise BackupError(f"the manifest lists an unsafe file name {entry['name']!r}")
    return listed


def extract_verified(tar: tarfile.TarFile, entry: dict, dest: Path) -> None:
    """Copy one member to dest, refusing it when its size or sha256 differs from the manifest."""
    member = tar.getmember(entry["name"])
    source: IO[bytes] | None = tar.extractfile(member) if member.isfile() else None
    if source is None or member.size != entry["size"]:
        raise BackupError(f"{entry['name']} in the archive is damaged (not the file the manifest lists)")
    digest = hashlib.sha256()
    with dest.open("wb") as out:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    if digest.hexdigest() != entry["sha256"]:
        raise BackupError(f"{entry['name']} in the archive is damaged: its sha256 differs from the manifest")
