"""The upload check on its own (bytes and a name in, an accepted type or a refusal out): real files pass; polyglots,
damaged containers, bombs, macros and programs are refused; and no input makes it raise anything else."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ocop_tracker.documents.filetypes import ACCEPTED, DocumentRefused
from ocop_tracker.documents.samples import minimal_docx, minimal_image, minimal_pdf, minimal_xlsx
from ocop_tracker.documents.validation import inspect_upload

from .crafted import HTML, UTF8_NAME_FLAG, bad_utf8_zip, png_claiming, raw_zip, zipped

LIMIT = 20 * 1024 * 1024
SAMPLES = {"PDF": minimal_pdf(), "JPEG": minimal_image("JPEG"), "PNG": minimal_image("PNG"),
           "WebP": minimal_image("WEBP"), "DOCX": minimal_docx(), "XLSX": minimal_xlsx()}
WORD_DOCUMENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
MACRO_DOCUMENT = "application/vnd.ms-word.document.macroEnabled.main+xml"  # a .docm


def refusal(data: bytes, name: str = "tệp") -> DocumentRefused:
    with pytest.raises(DocumentRefused) as refused:
        inspect_upload(data, name, max_bytes=LIMIT)
    return refused.value


def docx_with(parts: dict[str, bytes | str]) -> bytes:
    return minimal_docx(extra_parts=parts)


def content_types(main_type: str) -> str:
    return ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Override PartName="/word/document.xml" ContentType="{main_type}"/></Types>')


@pytest.mark.parametrize("label", SAMPLES)
def test_inspect_upload_accepts_a_real_file_of_each_type(label):
    suffix = {"JPEG": ".jpg"}.get(label, "." + label.lower())
    assert inspect_upload(SAMPLES[label], "hồ sơ" + suffix, max_bytes=LIMIT).label == label
    assert inspect_upload(SAMPLES[label], "ảnh chụp không đuôi", max_bytes=LIMIT).label == label


@pytest.mark.parametrize("data, label", [
    (b"%PDF-1.7\n" + HTML, "PDF"),  # stored as a PDF before
    (minimal_pdf() + HTML, "PDF"),  # a real PDF with a page after its end
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + HTML, "JPEG"),  # stored as a JPEG before
    (minimal_image("PNG")[:40], "PNG"),  # cut short
    (minimal_image("JPEG")[:-200], "JPEG"),
    (b"PK\x03\x04 not a zip at all", "DOCX/XLSX"),
    (minimal_docx()[:-30], "DOCX/XLSX"),  # cut short: no central directory
    (bad_utf8_zip(), "DOCX/XLSX"),  # UnicodeDecodeError, a 500, before
    (zipped({"[Content_Types].xml": "<Types>not closed", "word/document.xml": "<x/>"}), "DOCX/XLSX"),
    (zipped({"[Content_Types].xml": content_types(WORD_DOCUMENT), "word/document.xml": "<w:document>open"}), "DOCX"),
])
def test_inspect_upload_refuses_polyglots_and_damaged_files(data, label):
    refused = refusal(data)
    assert (refused.code, refused.status, refused.details) == ("damaged_file", 415, {"format": label})


@pytest.mark.parametrize("data, reason", [
    (zipped({"word/document.xml": "<w:document/>", "payload.exe": b"MZ\x90\x00"}), "executable"),  # a DOCX before
    (docx_with({"word/media/payload.exe": b"MZ"}), "executable"),
    (docx_with({"customXml/run.PS1": "Start-Process calc"}), "executable"),
    (docx_with({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}), "macro"),
    (zipped({"[Content_Types].xml": content_types(MACRO_DOCUMENT), "word/document.xml": "<d/>"}), "macro"),
    (docx_with({"../../evil.xml": "<x/>"}), "entry_path"),
    (raw_zip([(b"/etc/cron.d/x", b"x")]), "entry_path"),
    (raw_zip([(b"word\\..\\..\\x.xml", b"x")]), "entry_path"),
    (raw_zip([(b"[Content_Types].xml", b"<Types/>"), (b"word/document.xml", b"<a/>"),
              (b"word/document.xml", b"<b/>")]), "duplicate_entry"),
    (docx_with({"word/zeros.xml": b"\x00" * (3 * 1024 * 1024)}), "zip_bomb"),  # about 1000 to 1
    (raw_zip([(b"[Content_Types].xml", b"<Types/>")], declared_size=300 * 1024 * 1024), "zip_bomb"),
    (png_claiming(8000, 8000), "too_many_pixels"),  # 64 megapixels: above our bar
    (png_claiming(20000, 20000), "too_many_pixels"),  # above Pillow's own
])
def test_inspect_upload_refuses_unsafe_packages_and_pictures(data, reason):
    refused = refusal(data)
    assert (refused.code, refused.status, refused.details["reason"]) == ("unsafe_file", 415, reason)


@pytest.mark.parametrize("data", [zipped({"readme.txt": "hello"}), zipped({"word/document.xml": "<w:document/>"}),
                                  zipped({"[Content_Types].xml": content_types("application/xml"),
                                          "word/document.xml": "<d/>"})])
def test_inspect_upload_refuses_a_zip_that_is_not_an_office_file(data):
    assert (refusal(data).code, refusal(data).status) == ("unsupported_type", 415)


def test_inspect_upload_refuses_a_main_part_that_is_not_where_its_type_says():
    data = zipped({"[Content_Types].xml": content_types(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"), "word/document.xml": "<d/>"})
    assert refusal(data).details == {"format": "XLSX"}


@pytest.mark.parametrize("label, name, declared", [("PNG", "giấy phép.pdf", ".pdf"), ("PDF", "đơn.docx", ".docx"),
                                                   ("XLSX", "bảng điểm.docx", ".docx"), ("PDF", "trang.html", ".html"),
                                                   ("JPEG", "ảnh.PNG", ".png")])
def test_inspect_upload_refuses_a_name_that_says_another_type(label, name, declared):
    refused = refusal(SAMPLES[label], name)
    assert (refused.code, refused.status, refused.details) == ("name_mismatch", 415,
                                                               {"declared": declared, "format": label})


@pytest.mark.parametrize("name", ["ảnh.JPEG", "ảnh.jfif", "C:\\Tải về\\ảnh.jpg", "ảnh.jpg\x00", "Báo cáo v1.2"])
def test_inspect_upload_takes_any_ending_of_the_type_or_none(name):
    assert inspect_upload(SAMPLES["JPEG"], name, max_bytes=LIMIT).label == "JPEG"


def test_inspect_upload_refuses_empty_and_oversized_first():
    assert refusal(b"").code == "empty_file"
    with pytest.raises(DocumentRefused) as refused:
        inspect_upload(SAMPLES["PDF"], "x.pdf", max_bytes=len(SAMPLES["PDF"]) - 1)
    assert (refused.value.code, refused.value.status) == ("too_large", 413)


# What the fuzzer sends: any bytes; the leading bytes of each format and then anything; real files cut short or with
# bytes changed; ZIPs with any entry names and flags (the UTF-8 flag on bytes that are not UTF-8 among them).
MAGIC = st.sampled_from([b"%PDF-", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"RIFF\x00\x00\x00\x00WEBP", b"PK\x03\x04"])
PART_NAMES = st.sampled_from([b"[Content_Types].xml", b"word/document.xml", b"xl/workbook.xml", b"_rels/.rels"])


@st.composite
def damaged_samples(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(list(SAMPLES.values()))))
    for _ in range(draw(st.integers(0, 6))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data[:draw(st.integers(1, len(data)))])


@st.composite
def odd_zips(draw) -> bytes:
    names = st.one_of(PART_NAMES, st.binary(min_size=1, max_size=24))
    parts = st.one_of(st.binary(max_size=200), st.sampled_from([content_types(WORD_DOCUMENT).encode(), b"<d/>"]))
    entries = draw(st.lists(st.tuples(names, parts), max_size=5))
    return raw_zip(entries, flags=draw(st.sampled_from([0, UTF8_NAME_FLAG, 1, 0xFFFF])))


UPLOADS = st.one_of(st.binary(max_size=1024), st.tuples(MAGIC, st.binary(max_size=1024)).map(b"".join),
                    damaged_samples(), odd_zips(), st.sampled_from(list(SAMPLES.values())))


@settings(max_examples=1500, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=UPLOADS, name=st.one_of(st.text(max_size=40), st.sampled_from(["a.pdf", "b.docx", "c.jpg", "d"])))
def test_inspect_upload_answers_any_input_with_a_type_or_a_refusal(data, name):
    try:
        found = inspect_upload(data, name, max_bytes=LIMIT)
    except DocumentRefused as refused:
        assert refused.status in (400, 413, 415) and refused.message
    else:
        assert found in ACCEPTED
