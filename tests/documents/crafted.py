"""Hostile files: ZIPs built byte by byte (headers saying what the test wants), pictures claiming a huge size."""
from __future__ import annotations

import struct
import zipfile
import zlib
from io import BytesIO

UTF8_NAME_FLAG = 0x800
HTML = b"<!doctype html><html><body><script>alert(document.domain)</script></body></html>"


def zipped(parts: dict[str, bytes | str]) -> bytes:
    """A deflated ZIP of these entries, as any archiver writes it."""
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return buffer.getvalue()


def raw_zip(entries: list[tuple[bytes, bytes]], *, flags: int = 0, declared_size: int | None = None) -> bytes:
    """A stored (uncompressed) ZIP of (raw name, data) entries; `flags` and `declared_size` go in every header."""
    body, directory = b"", b""
    for name, data in entries:
        crc, size = zlib.crc32(data), len(data)
        unpacked = size if declared_size is None else declared_size
        offset = len(body)
        body += struct.pack(zipfile.structFileHeader, zipfile.stringFileHeader, 20, 0, flags, 0, 0, 0, crc, size,
                            unpacked, len(name), 0) + name + data
        directory += struct.pack(zipfile.structCentralDir, zipfile.stringCentralDir, 20, 0, 20, 0, flags, 0, 0, 0,
                                 crc, size, unpacked, len(name), 0, 0, 0, 0, 0, offset) + name
    end = struct.pack(zipfile.structEndArchive, zipfile.stringEndArchive, 0, 0, len(entries), len(entries),
                      len(directory), len(body), 0)
    return body + directory + end


def bad_utf8_zip() -> bytes:
    """An entry name flagged UTF-8 that is not UTF-8: Python's zipfile raises UnicodeDecodeError reading it."""
    return raw_zip([(b"[Content_Types].xml", b"<Types/>"), (b"word/\xff\xfe.xml", b"x")], flags=UTF8_NAME_FLAG)


def png_claiming(width: int, height: int) -> bytes:
    """A PNG announcing a picture of that size, with a few bytes of pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + _chunk(
        b"IEND", b"")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
