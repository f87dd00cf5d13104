"""The scoring sheets of QĐ 26/2026 Phụ lục II: the generated data against the annex stored beside it."""

from __future__ import annotations

import fnmatch
import json
import re
import tomllib
from collections import Counter
from pathlib import Path

import pytest

from ocop_tracker.rules.sheets import Sheet, load_sheets
from ocop_tracker.rules.sheets.build import OUTPUT, PRODUCT_SETS, SOURCE, annex_text, build, dumps

SHEETS = load_sheets("qd26-2026-commune")
ALL_SETS = pytest.mark.parametrize("sheet", SHEETS.sets, ids=lambda s: f"set-{s.number:02d}")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def annex() -> str:
    return annex_text(SOURCE.read_text(encoding="utf-8"))


def test_the_data_file_is_what_the_script_makes_from_the_stored_annex():
    data, _ = build(write=False)
    assert json.loads(dumps(data)) == json.loads(OUTPUT.read_text(encoding="utf-8"))


def test_the_stored_annex_cites_the_decision_and_where_it_was_copied_from():
    header = SOURCE.read_text(encoding="utf-8")[:1500]
    assert "Quyết định số 26/2026/QĐ-TTg ngày 22/5/2026" in header
    assert "Phụ lục II" in header
    assert "https://github.com/hakienpdu95/minhan/blob/" in header
    assert SHEETS.source["decision"].startswith("Quyết định số 26/2026/QĐ-TTg")


def test_a_rule_set_without_sheets_is_answered_without_reading_the_files_again(monkeypatch):
    """A district-era dossier's upgrade plan asks for sheets in every producer summary; the miss was not cached
    and read and decoded every data file each time (~10 ms a producer in send-summaries)."""
    with pytest.raises(LookupError):
        load_sheets("qd148-2023-district")
    reads = []
    real_read = Path.read_text
    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: reads.append(self) or real_read(self, *a, **k))
    for _ in range(3):
        with pytest.raises(LookupError):
            load_sheets("qd148-2023-district")
    assert load_sheets("qd26-2026-commune") is SHEETS
    assert reads == []


def test_the_commune_era_rule_sets_score_on_these_sheets_and_the_district_era_ones_have_none():
    assert load_sheets("qd1489-2025-commune") is SHEETS
    for code in ("qd148-2023-district", "qd1048-2019-district"):
        with pytest.raises(LookupError):
            load_sheets(code)


def test_the_26_sets_map_one_to_one_on_the_app_product_sets():
    app = {s["number"]: s for s in json.loads(PRODUCT_SETS.read_text(encoding="utf-8"))["sets"]}
    assert [s.number for s in SHEETS.sets] == list(range(1, 27))
    assert {s.number: s.app_code for s in SHEETS.sets} == {n: s["code"] for n, s in app.items()}
    assert SHEETS.by_app_code("set-11").name == "Chè tươi, chè chế biến"
    assert (SHEETS.by_number(1).group, SHEETS.by_number(1).sub_group) == ("Thực phẩm", "Thực phẩm tươi sống")
    assert (SHEETS.by_number(23).group, SHEETS.by_number(23).sub_group) == ("Sinh vật cảnh", None)


@ALL_SETS
def test_every_sheet_totals_100_in_parts_of_40_25_35(sheet: Sheet):
    assert [(p.code, p.maximum) for p in sheet.parts] == [("A", 40), ("B", 25), ("C", 35)]
    assert sheet.maximum == 100
    assert sum(c.maximum for c in sheet.criteria) == 100
    for part in sheet.parts:
        assert sum(s.maximum for s in part.sections) == part.maximum, part.code
        for section in part.sections:
            assert sum(c.maximum for c in section.criteria) == section.maximum, section.number
            for group in section.groups:
                assert sum(c.maximum for c in section.criteria if c.group == group.number) == group.maximum


@ALL_SETS
def test_no_option_above_its_criterion_maximum_and_the_best_one_reaches_it(sheet: Sheet):
    for criterion in sheet.criteria:
        assert criterion.options, criterion.id
        assert all(0 <= o.points <= criterion.maximum for o in criterion.options), criterion.id
        assert max(o.points for o in criterion.options) == criterion.maximum, criterion.id


def test_criterion_and_option_ids_are_unique_across_the_sheets():
    criteria = [c.id for s in SHEETS.sets for c in s.criteria]
    options = [o.id for s in SHEETS.sets for c in s.criteria for o in c.options]
    assert len(criteria) == len(set(criteria)) == 787
    assert len(options) == len(set(options)) == 2579


def _set_texts() -> dict[int, str]:
    """Each set's stretch of the stored annex, cut at its heading, without the note explaining the stars."""
    html = SOURCE.read_text(encoding="utf-8")
    starts = [(int(m.group(1)), m.start()) for m in
              re.finditer(r"<p>(\d{1,2})\. (?:Bộ sản phẩm: )?[^<]*</p>\n<p>\(Sản phẩm:", html)]
    ends = [start for _, start in starts[1:]] + [len(html)]
    return {number: re.sub(r"<p>Ghi chú: Dấu sao[^<]*</p>", "", html[start:end])
            for (number, start), end in zip(starts, ends, strict=True)}


@ALL_SETS
def test_the_minimum_markers_are_parsed_wherever_the_annex_prints_them(sheet: Sheet):
    printed = Counter(len(run.replace(" ", "")) for run in
                      re.findall(r"(?<!\*)\*(?: ?\*){2,4}(?!\*)", _set_texts()[sheet.number]))
    parsed = Counter(o.min_star for c in sheet.criteria for o in c.options if o.min_star)
    assert printed, "every sheet of the annex marks minimums"
    assert parsed == printed
    assert set(parsed) == ({3, 4} if sheet.number == 26 else {3, 4, 5})


def test_minimums_per_star_are_reachable():
    sheet = SHEETS.by_number(1)
    assert [(c.number, o.points) for c, o in sheet.minimums(3)] == [
        ("2.2", 2), ("2.3", 1), ("3.5", 1), ("4.1", 2), ("5.3", 1), ("9", 2), ("10", 1)]
    assert ("10", 3) in [(c.number, o.points) for c, o in sheet.minimums(4)]


def test_the_rejection_conditions_of_every_set_that_prints_them():
    for sheet in SHEETS.sets[:25]:
        assert sheet.rejection is not None and sheet.rejection_conditions[0] == "Giả mạo hồ sơ", sheet.number
    assert SHEETS.by_number(1).rejection_conditions == (
        "Giả mạo hồ sơ",
        "không tuân thủ đầy đủ các quy định về giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm theo quy định",
        "không đáp ứng về hồ sơ đăng ký theo quy định")
    assert SHEETS.by_number(26).rejection is None  # the tourism sheet prints none


def test_the_product_code_pattern():
    code = SHEETS.product_code
    assert code.pattern == "(T)-(X)-(STT)-YYYY"
    assert code.format == "{province}-{commune}-{seq}-{year}"
    assert "19/2025/QĐ-TTg" in code.unit_codes and code.explanation.startswith("T: Mã tỉnh")


# Typed from the annex: (set, criterion, title, maximum, [(option, points, minimum star)]).
DOZEN = [
    (1, "1.2", "Vùng nguyên liệu được cấp chứng nhận chất lượng", 2, [
        ("Không được cấp giấy chứng nhận chất lượng", 0, None),
        ("Được cấp giấy chứng nhận chất lượng theo tiêu chuẩn quốc gia (VietGAP, hữu cơ, ...)", 1, None),
        ("Được cấp giấy chứng nhận chất lượng theo tiêu chuẩn quốc tế (GlobalGAP, hữu cơ - Organic, ...)", 2, None)]),
    (1, "1.5", "Liên kết sản xuất", 3, [
        ("Không có liên kết hoặc có liên kết nhưng không rõ ràng", 0, None),
        ("Có hợp đồng liên kết từ 50% đến dưới 75% sản lượng tiêu thụ", 1, None),
        ("Có hợp đồng liên kết trên 75% sản lượng tiêu thụ", 2, 4),
        (("Có hợp đồng liên kết trên 75% sản lượng tiêu thụ và tổ chức thực hiện hợp đồng ổn định từ 12 tháng trở "
         "lên tính đến thời điểm đăng ký đánh giá, phân hạng OCOP"), 3, 5)]),
    (1, "7", "DINH DƯỠNG", 3, [("Không có", 0, None), ("Có 1 - 2 chỉ tiêu", 1, None), ("Có trên 2 chỉ tiêu", 3, None)]),
    (1, "10", "ĐẢM BẢO CHẤT LƯỢNG SẢN PHẨM", 5, [
        ("Cơ sở sơ chế, đóng gói có giấy chứng nhận đủ điều kiện an toàn thực phẩm theo quy định", 1, 3),
        ("Cơ sở sơ chế, đóng gói có chứng nhận quản lý chất lượng theo tiêu chuẩn quốc gia (ISO, HACCP,..)", 3, 4),
        (("Cơ sở sơ chế, đóng gói có chứng nhận quản lý chất lượng theo tiêu chuẩn quốc tế, đủ điều kiện an toàn "
         "thực phẩm cho xuất khẩu và các thủ tục pháp lý khác theo yêu cầu của thị trường đích (ISO, HACCP, BRC, "
         "Halal, FDA, ...)"), 5, None)]),
    (2, "10", "HƯỚNG DẪN SỬ DỤNG ĐỂ ĐẢM BẢO SẢN PHẨM CÓ CHẤT LƯỢNG TỐT NHẤT CHO NGƯỜI TIÊU DÙNG", 2, [
        ("Có hướng dẫn sử dụng sản phẩm đơn giản", 1, None),
        ("Có hướng dẫn sử dụng chi tiết, cụ thể để đảm bảo chất lượng sản phẩm", 2, None)]),
    (8, "3.5", "Sở hữu trí tuệ", 3, [
        (("Đơn đăng ký nhãn hiệu đã được cơ quan có thẩm quyền chấp nhận hoặc công bố (đã qua vòng thẩm định hình "
         "thức)"), 1, 3),
        (("Các nhãn hiệu sử dụng trên bao bì, nhãn của sản phẩm được cấp Giấy chứng nhận đăng ký nhãn hiệu và sản "
         "phẩm có sử dụng dấu hiệu chỉ dẫn nguồn gốc địa lý gắn với cộng đồng địa phương (trường hợp sản phẩm đã "
         "được nhà nước bảo hộ chỉ dẫn địa lý, nhãn hiệu tập thể, nhãn hiệu chứng nhận thì phải có văn bản ghi "
         "nhận quyền sử dụng)"), 2, 4),
        (("Các nhãn hiệu sử dụng trên bao bì, nhãn của sản phẩm được cấp Giấy chứng nhận đăng ký nhãn hiệu và sản "
         "phẩm có sử dụng dấu hiệu chỉ dẫn nguồn gốc địa lý gắn với cộng đồng địa phương (trường hợp sản phẩm đã "
         "được nhà nước bảo hộ chỉ dẫn địa lý, nhãn hiệu tập thể, nhãn hiệu chứng nhận thì phải có văn bản ghi "
         "nhận quyền sử dụng) và có Bằng độc quyền kiểu dáng công nghiệp, hoặc Bằng sáng chế, hoặc Bằng độc quyền "
         "giải pháp hữu ích, hoặc Giấy chứng nhận đăng ký quyền tác giả (trừ Giấy chứng nhận đăng ký quyền tác "
         "giả đối với nhãn hiệu)."), 3, None)]),
    (13, "6.2.2", "Mùi, vị", 3, [
        ("Khác thường (chấp nhận được) hoặc không rõ vị", 0, None),
        ("Mùi, vị phù hợp với đặc tính sản phẩm", 1, None),
        ("Mùi vị hấp dẫn, đặc sắc", 3, None)]),
    (14, "1.1", "Nguồn nguyên liệu", 4, [
        ("Có sử dụng nguyên liệu có nguồn gốc trong tỉnh, nhưng có tỷ lệ dưới 50%", 1, 3),
        ("Sử dụng nguyên liệu có nguồn gốc trong tỉnh từ 50% đến dưới 75%", 2, None),
        ("Sử dụng nguyên liệu có nguồn gốc trong tỉnh từ 75% đến 100%", 4, None)]),
    (18, "9", "HIỆU QUẢ SỬ DỤNG", 3, [
        ("Thấp, không rõ", 0, None), ("Có hiệu quả tương đối rõ", 1, None), ("Hiệu quả tốt", 2, None),
        ("Hiệu quả rất tốt", 3, None)]),
    (23, "9", "HƯỚNG DẪN SỬ DỤNG ĐỂ ĐẢM BẢO SẢN PHẨM CÓ CHẤT LƯỢNG TỐT NHẤT CHO NGƯỜI TIÊU DÙNG", 4, [
        ("Có hướng dẫn sử dụng sản phẩm đơn giản", 2, None),
        ("Có hướng dẫn sử dụng chi tiết, cụ thể để kéo dài thời gian, duy trì chất lượng sản phẩm", 4, None)]),
    (26, "6", "Vị trí", 3, [
        ("Thuận lợi, dễ tiếp cận", 1, None),
        ("Thuận lợi, dễ tiếp cận, liền kề khu vực có lợi thế phát triển du lịch", 2, None),
        ("Thuận lợi, dễ tiếp cận, liền kề và có kết nối với khu vực/địa điểm có lợi thế phát triển du lịch khác.",
         3, None)]),
    (26, "8", "Đáp ứng điều kiện kinh doanh dịch vụ", 3, [
        (("Các cơ sở cung cấp dịch vụ đáp ứng đủ yêu cầu về đăng ký kinh doanh và điều kiện kinh doanh theo quy "
         "định của pháp luật"), 1, None),
        (("Các cơ sở cung cấp dịch vụ đáp ứng đủ yêu cầu về đăng ký kinh doanh và điều kiện kinh doanh và có cơ sở "
         "kinh doanh dịch vụ du lịch đạt tiêu chuẩn phục vụ khách du lịch theo Luật Du lịch"), 3, None),
        ("Đáp ứng đủ điều kiện về đăng ký kinh doanh và điều kiện kinh doanh theo quy định của pháp luật", 1, None),
        (("Đáp ứng đủ điều kiện về đăng ký kinh doanh và điều kiện kinh doanh theo quy định của pháp luật và được "
         "công nhận điểm du lịch hoặc có cơ sở kinh doanh dịch vụ du lịch đạt tiêu chuẩn phục vụ khách du lịch theo "
         "Luật Du lịch"), 3, None)]),
]


@pytest.mark.parametrize(("number", "code", "title", "maximum", "options"), DOZEN,
                         ids=[f"set-{d[0]:02d}-{d[1]}" for d in DOZEN])
def test_a_dozen_criteria_word_for_word_with_the_annex(annex: str, number, code, title, maximum, options):
    criterion = SHEETS.by_number(number).criterion(f"{number:02d}-{code}")
    assert (criterion.title, criterion.maximum) == (title, maximum)
    assert [(o.text, o.points, o.min_star) for o in criterion.options] == options
    # and the annex prints these very words, with the option's box and its stars
    assert f"{code}. {title}" in annex or f"{code} {title}" in annex
    for text, _, stars in options:
        assert squeeze(f"□ {text}{'*' * (stars or 0)}") in annex.replace("* * * *", "****")


def test_the_annex_misprints_are_corrected_and_reported():
    assert SHEETS.by_number(11).criterion("11-6.1.1").options[1].points == 1  # printed "11"
    assert SHEETS.by_number(4).criterion("04-7").options[2].points == 3  # printed "13"
    bilingual = SHEETS.by_number(21).criterion("21-2.3")
    assert bilingual.implied_options and [(o.text, o.points) for o in bilingual.options] == [("Không", 0), ("Có", 1)]
    notes = "\n".join(SHEETS.build_notes)
    assert "misprinted 11 points corrected to 1" in notes and "misprinted 13 points corrected to 3" in notes


def test_set_26_options_keep_the_case_they_belong_to():
    criterion = SHEETS.by_number(26).criterion("26-8")
    assert [o.case[:13] for o in criterion.options if o.case] == ["a. Trường hợp"] * 2 + ["b. Trường hợp"] * 2


def test_the_sheets_and_their_source_are_shipped_with_the_package():
    project = Path(__file__).resolve().parents[2]
    shipped = tomllib.loads((project / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    for path in (OUTPUT, SOURCE):
        relative = path.relative_to(project / "ocop_tracker").as_posix()
        assert any(fnmatch.fnmatch(relative, pattern) for pattern in shipped["ocop_tracker"]), relative
