"""Word and Excel files are ZIP packages: accept one only when it is a sound package of its type, with no
macro, no program inside, no entry name that climbs out of a folder, and no "zip bomb"."""
from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import PurePosixPath

from defusedxml.ElementTree import fromstring, iterparse

from .filetypes import DOCX, XLSX, DocumentRefused, FileType, damaged, unsafe

# The main part each accepted type must have, by the content type [Content_Types].xml declares for it.
MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": (DOCX, "word/document.xml"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": (XLSX, "xl/workbook.xml"),
}
# Pieces of the content types of macro-enabled files (.docm, .xlsm, their templates) and of the parts holding code.
MACRO_CONTENT_TYPES = ("macroenabled", "vbaproject", "vbadata", "activex")
MACRO_PARTS = ("vbaproject.bin", "vbadata.xml")
EXECUTABLE_SUFFIXES = frozenset((
    ".exe", ".dll", ".js", ".jse", ".vbs", ".vbe", ".bat", ".cmd", ".scr", ".ps1", ".psm1", ".msi", ".msp", ".jar",
    ".com", ".cpl", ".hta", ".wsf", ".wsh", ".pif", ".lnk", ".reg", ".sh", ".apk", ".app", ".elf", ".so", ".dylib"))
MAX_ENTRIES = 5000
MAX_UNPACKED_BYTES = 256 * 1024 * 1024
MAX_RATIO = 200  # XML of a real document packs about 10:1; a bomb packs thousands to one
SMALL_ENTRY = 1024 * 1024  # tiny entries of zeros pack well and are harmless
MAX_CONTENT_TYPES_BYTES = 1024 * 1024
LABEL = "DOCX/XLSX"


def package_type(data: bytes) -> FileType:
    """DOCX or XLSX, after checking the whole package; raises DocumentRefused, or (before the type is known) the
    zipfile or XML error the caller turns into a refusal."""
    with zipfile.ZipFile(BytesIO(data)) as package:
        entries = package.infolist()
        _check_entries(entries)
        found, main_part = _declared_type(package)
        try:
            sound = main_part in package.NameToInfo and _unpacks(package, main_part)
        except Exception as error:  # a broken entry or XML: damaged, now that we know what it claims to be
            raise damaged(found.label) from error
    if not sound:
        raise damaged(found.label)
    return found


def _unpacks(package: zipfile.ZipFile, main_part: str) -> bool:
    """Every entry unpacks and matches its checksum, and the main part is well-formed XML."""
    if package.testzip() is not None:
        return False
    with package.open(main_part) as stream:
        for _event, element in iterparse(stream, forbid_dtd=True):
            element.clear()  # only well-formedness is wanted: keep memory flat
    return True


def _check_entries(entries: list[zipfile.ZipInfo]) -> None:
    if len(entries) > MAX_ENTRIES:
        raise unsafe(LABEL, "too_many_entries", "the package has too many parts")
    names = [entry.filename for entry in entries]
    if len(set(names)) != len(names):  # two readers may take different copies of the same part
        raise unsafe(LABEL, "duplicate_entry", "the package lists a part twice")
    if sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES or any(
            entry.file_size > SMALL_ENTRY and entry.file_size > MAX_RATIO * max(entry.compress_size, 1)
            for entry in entries):
        raise unsafe(LABEL, "zip_bomb", "the package unpacks to far more than its size")
    for name in names:
        _check_entry_name(name)


def _check_entry_name(name: str) -> None:
    path = PurePosixPath(name)
    if (name.startswith("/") or "\\" in name or ":" in name or "\x00" in name
            or any(part in ("..", ".") for part in name.split("/"))):
        raise unsafe(LABEL, "entry_path", "a part's name leads outside the package")
    if path.name.lower() in MACRO_PARTS:
        raise unsafe(LABEL, "macro", "the package holds macros")
    if path.suffix.lower() in EXECUTABLE_SUFFIXES:
        raise unsafe(LABEL, "executable", "the package holds a program")


def _declared_type(package: zipfile.ZipFile) -> tuple[FileType, str]:
    """The type and main part [Content_Types].xml declares; a plain ZIP or another package type is refused."""
    info = package.NameToInfo.get("[Content_Types].xml")
    if info is None:
        raise DocumentRefused("unsupported_type", "a ZIP file is accepted only as DOCX or XLSX",
                              {"accepted": [DOCX.label, XLSX.label]})
    if info.file_size > MAX_CONTENT_TYPES_BYTES:
        raise unsafe(LABEL, "zip_bomb", "the package's list of content types is too large")
    root = fromstring(package.read(info), forbid_dtd=True)
    if root.tag != "{http://schemas.openxmlformats.org/package/2006/content-types}Types":
        raise damaged(LABEL)
    declared = {(element.get("ContentType", "").strip().lower(), element.get("PartName", "").lower())
                for element in root}
    if any(marker in content_type for content_type, _part in declared for marker in MACRO_CONTENT_TYPES):
        raise unsafe(LABEL, "macro", "the package holds macros")
    declared_types = {content_type for content_type, _part in declared}
    mains = [(content_type, main) for content_type, main in MAIN_PARTS.items() if content_type in declared_types]
    if len(mains) != 1:
        raise DocumentRefused("unsupported_type", "a ZIP file is accepted only as DOCX or XLSX",
                              {"accepted": [DOCX.label, XLSX.label]})
    content_type, (found, main_part) = mains[0]
    if (content_type, "/" + main_part) not in declared:  # the main part is where the type says it is
        raise damaged(found.label)
    return found, main_part
