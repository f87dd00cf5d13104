"""Turns Phụ lục II of QĐ 26/2026/QĐ-TTg (the scoring sheets) into one data file per rule set.

    python -m ocop_tracker.rules.sheets.build                      # source/*.html -> qd26-2026-commune.json
    python -m ocop_tracker.rules.sheets.build --from-original F    # first re-trim the annex out of the full text F

The full text (2.3 MB) is not kept: `--from-original` cuts Phụ lục II out of it and keeps only the tags the
parser reads, so the stored source stays small and a reader can still check every figure against it.
"""

from __future__ import annotations

import argparse
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar

HERE = Path(__file__).parent
SOURCE = HERE / "source" / "qd26-2026-phu-luc-ii.html"
OUTPUT = HERE / "qd26-2026-commune.json"
PRODUCT_SETS = HERE.parent / "data" / "product-sets.json"

SOURCE_URL = ("https://github.com/hakienpdu95/minhan/blob/8870762012c75278b4020203cec89373e0fdb239/"
              "docs/bnn_txng.html")
HEADER = f"""<!--
Quyết định số 26/2026/QĐ-TTg ngày 22/5/2026 của Thủ tướng Chính phủ ban hành Bộ tiêu chí và quy trình
đánh giá, phân hạng sản phẩm mỗi xã một sản phẩm — Phụ lục II: Bộ tiêu chí đánh giá sản phẩm OCOP
(kiêm phiếu đánh giá sản phẩm OCOP), 26 bộ sản phẩm.
Copied from {SOURCE_URL}
(the official chinhphu.vn page, docid=218267, could not be reached). Legal texts are not protected by
copyright (Luật Sở hữu trí tuệ, Điều 15). Trimmed by ocop_tracker/rules/sheets/build.py: only Phụ lục II,
only the tags p, br, table, tr, td; the words are unchanged, line breaks inside a paragraph became spaces.
-->
"""

# The annex's product kinds ("Sản phẩm: …") in the app's group codes (rules/data/product-sets.json).
GROUPS = {
    "Thực phẩm": "food",
    "Đồ uống": "drinks",
    "Dược liệu": "herbal",
    "Thủ công mỹ nghệ": "handicraft",
    "Hàng thủ công mỹ nghệ": "handicraft",
    "Sinh vật cảnh": "ornamental",
    "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch": "tourism",
}
RULE_SETS = ["qd26-2026-commune", "qd1489-2025-commune"]
MARKER = re.compile(r"(?:\*\s*){3,5}$")


# --- trimming the full text -------------------------------------------------------------------------

class _Trimmer(HTMLParser):
    keep: ClassVar[frozenset[str]] = frozenset({"p", "br", "table", "tr", "td"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.keep:
            spans = "".join(f' {k}="{v}"' for k, v in attrs if k in ("colspan", "rowspan") and v not in (None, "1"))
            self.out.append(("\n" if tag in ("p", "tr", "table") else "") + f"<{tag}{spans}>")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.keep - {"br"}:
            self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:
        self.out.append(html.escape(re.sub(r"\s+", " ", data), quote=False))


def extract_annex(full_text: str) -> str:
    """Phụ lục II of the decision's full text, trimmed to what the parser reads."""
    start = full_text.index('<a name="chuong_pl_2"')
    end = full_text.index('<a name="chuong_pl_3"')
    start, end = full_text.rindex("<p", 0, start), full_text.rindex("<p", 0, end)
    trimmer = _Trimmer()
    trimmer.feed(full_text[start:end])
    trimmed = "".join(trimmer.out)
    trimmed = re.sub(r" *(<(?:/?p|br|/?td)>) *", r"\1", trimmed)
    trimmed = re.sub(r"<td>\n<p>", "<td><p>", trimmed)
    return HEADER + re.sub(r" *\n+ *", "\n", trimmed).strip() + "\n"


# --- reading the trimmed annex ------------------------------------------------------------------------

Cell = list[str]  # the paragraphs of a table cell
Block = tuple[str, Any]  # ("p", text) or ("table", rows of cells)


class _Blocks(HTMLParser):
    """The annex as paragraphs outside tables ("p", text) and tables ("table", rows of cells)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.depth = 0
        self.text: list[str] = []
        self.rows: list[list[Cell]] = []
        self.cell: Cell | None = None

    def _flush(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self.text)).strip()
        self.text = []
        if text and self.cell is not None:
            self.cell.append(text)
        elif text and self.depth == 0:
            self.blocks.append(("p", text))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _Trimmer.keep:  # an inline tag (<i>, <span>) does not end a paragraph
            self._flush()
        if tag == "table":
            self.depth += 1
            self.rows = [] if self.depth == 1 else self.rows
        elif tag == "tr" and self.depth == 1:
            self.rows.append([])
        elif tag == "td" and self.depth == 1:
            self.cell = []
            self.rows[-1].append(self.cell)

    def handle_endtag(self, tag: str) -> None:
        if tag in _Trimmer.keep:
            self._flush()
        if tag == "td" and self.depth == 1:
            self.cell = None
        elif tag == "table":
            self.depth -= 1
            if self.depth == 0:
                self.blocks.append(("table", self.rows))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def read_blocks(annex_html: str) -> list[Block]:
    reader = _Blocks()
    reader.feed(annex_html)
    reader.close()
    return reader.blocks


def annex_text(annex_html: str) -> str:
    """All the annex's words in order, one space apart: what the tests compare the data with."""
    words: list[str] = []
    for kind, content in read_blocks(annex_html):
        if kind == "p":
            words.append(str(content))
        else:
            words.extend(p for row in content for cell in row for p in cell)
    return " ".join(words)


# --- parsing a sheet ----------------------------------------------------------------------------------

class SheetError(ValueError):
    pass


def _points(cell: Cell, problems: list[str], where: str) -> int | None:
    numbers = [p.strip() for p in cell if p.strip()]
    if not numbers:
        return None
    if not all(re.fullmatch(r"\d+", n) for n in numbers):
        raise SheetError(f"{where}: not a number of points: {numbers!r}")
    if len(numbers) > 1:  # set 23, "9. HƯỚNG DẪN SỬ DỤNG…": "4" and a stray "1" in one cell
        problems.append(f"{where}: several numbers {numbers} in the points cell, the first one taken")
    return int(numbers[0])


def _option(text: str, points: int, index: int, criterion_id: str) -> dict:
    body = text.lstrip("□").strip()
    marker = MARKER.search(body)
    return {"id": f"{criterion_id}-{index}", "text": body[:marker.start()].strip() if marker else body,
            "points": points, "min_star": marker.group(0).count("*") if marker else None}


# Misprints in the annex, corrected here and reported by the build: (set, criterion, option text) -> points.
ERRATA = {
    # "11" in a criterion of 2 points whose other options are 0 and 2: the 1 was typed twice.
    (11, "6.1.1", "Có rất ít tạp chất, chấp nhận được"): 1,
    # "13" in "7. DINH DƯỠNG" (3 points; 0, 1, 3 in every other food sheet).
    (4, "7", "Có trên 2 chỉ tiêu"): 3,
}


def _criterion(number: int, code: str, title: str, maximum: int | None, notes: list[str]) -> dict:
    return {"id": f"{number:02d}-{code}", "number": code, "title": title, "maximum": maximum, "notes": notes,
            "options": []}


def parse_sheet(number: int, rows: list[list[Cell]], problems: list[str]) -> list[dict]:
    """The parts (A, B, C) of one sheet: sections ("1. TỔ CHỨC SẢN XUẤT") holding criteria ("1.1.")
    holding options. A section scored directly ("7. DINH DƯỠNG") is its own single criterion; a criterion
    split further ("6.1. Ngoại hình" into "6.1.1.", "6.1.2.") becomes a group of the section, and its
    parts are the criteria."""
    parts: list[dict] = []
    section: dict | None = None
    criterion: dict | None = None
    case: str | None = None
    total = None
    for row in rows:
        label = list(row[0]) if row else []
        first = label[0] if label else ""
        if not first or first.startswith("Các tiêu chí"):
            continue
        where = f"set {number}, {first[:40]!r}"
        points = _points(row[1], problems, where) if len(row) > 1 else None
        if part := re.match(r"(?i)phần ([ABC])\s*:?\s*(.*)", first):
            title = " ".join([part.group(2), *label[1:]]).strip()
            printed = re.search(r"\s*\((\d+) Điểm\)$", title)
            if printed and int(printed.group(1)) != points:
                problems.append(f"set {number}: part {part.group(1)} is titled {printed.group(1)} points, "
                                f"its points cell says {points}")
            parts.append({"code": part.group(1).upper(), "title": title[:printed.start()] if printed else title,
                          "maximum": points, "sections": []})
            section = criterion = None
        elif first.startswith("TỔNG CỘNG"):
            total = points
        elif match := re.match(r"(\d+(?:\.\d+)+)\.?\s+(.*)", first):
            if section is None:
                raise SheetError(f"{where}: criterion outside a section")
            code, case = match.group(1), None
            if code.count(".") == 2:
                group = code.rsplit(".", 1)[0]
                if criterion is not None and criterion["number"] == group and not criterion["options"]:
                    section["criteria"].remove(criterion)
                    criterion.pop("options")
                    criterion.pop("id")
                    section.setdefault("groups", []).append(criterion)
                elif not any(g["number"] == group for g in section.get("groups", [])):
                    raise SheetError(f"{where}: no criterion {group} to hold it")
                criterion = _criterion(number, code, match.group(2), points, label[1:])
                criterion["group"] = group
            else:
                criterion = _criterion(number, code, match.group(2), points, label[1:])
            section["criteria"].append(criterion)
        elif match := re.match(r"(\d+)\.?\s+(.*)", first):
            if not parts:
                raise SheetError(f"{where}: section before part A")
            section = {"number": match.group(1), "title": match.group(2), "maximum": points,
                       "notes": label[1:], "criteria": []}
            if not first.startswith(match.group(1) + "."):
                problems.append(f"{where}: section number without its dot")
            parts[-1]["sections"].append(section)
            criterion, case = None, None
        elif first.startswith(("□", "o ")):
            if section is None:
                raise SheetError(f"{where}: option outside a section")
            if not first.startswith("□"):
                problems.append(f"{where}: option ticked with 'o' instead of '□'")
            if criterion is None:  # options right under a section: the section is the criterion
                criterion = _criterion(number, section["number"], section["title"], section["maximum"],
                                       section["notes"])
                section["notes"] = []
                section["criteria"].append(criterion)
            # a note printed in the option's cell (sets 21, 22: "Ghi chú: Nếu sản phẩm vi phạm…") is the criterion's
            text = " ".join(p for p in label if not p.startswith("Ghi chú"))
            criterion["notes"].extend(p for p in label if p.startswith("Ghi chú"))
            option = _option(text.removeprefix("o "), points or 0, len(criterion["options"]) + 1, criterion["id"])
            if points is None:
                problems.append(f"{where}: option without points, taken as 0")
            corrected = ERRATA.get((number, criterion["number"], option["text"]))
            if corrected is not None:
                problems.append(f"{where}: misprinted {option['points']} points corrected to {corrected}")
                option["points"] = corrected
            if case:
                option["case"] = case
            criterion["options"].append(option)
        elif re.match(r"[ab]\. Trường hợp", first):  # set 26: options for one of two kinds of provider
            case = first
            (criterion or section or {}).setdefault("notes", []).extend(label)
        else:
            if points is not None:
                problems.append(f"{where}: a row with points that is neither option nor criterion, kept as a note")
            holder = criterion or section
            if holder is None:
                problems.append(f"{where}: note outside a section dropped")
            else:
                holder["notes"].extend(label)
    if total is None:
        problems.append(f"set {number}: no TỔNG CỘNG row")
    _add_implied_options(number, parts, problems)
    return parts


def _add_implied_options(number: int, parts: list[dict], problems: list[str]) -> None:
    """A criterion printed without boxes ("2.4. Ghi nhãn … song ngữ", 1 point) is scored yes or no."""
    for part in parts:
        for section in part["sections"]:
            for criterion in section["criteria"]:
                if not criterion["options"]:
                    criterion["implied_options"] = True
                    criterion["options"] = [
                        {"id": f"{criterion['id']}-1", "text": "Không", "points": 0, "min_star": None},
                        {"id": f"{criterion['id']}-2", "text": "Có", "points": criterion["maximum"], "min_star": None}]
                    problems.append(f"set {number}: criterion {criterion['number']} has no options in the annex; "
                                    f"scored as Không 0 / Có {criterion['maximum']}")


# --- the whole annex -----------------------------------------------------------------------------------

HEADING = re.compile(r"(\d{1,2})\.\s+(?:Bộ sản phẩm:\s*)?(.+)")
KIND = re.compile(r"\(Sản phẩm:\s*(.+?)(?:[.,]\s*Nhóm:\s*(.+?))?\)")
REJECTION = re.compile(r"(?:Hồ sơ bị|Bị) loại khi:\s*(.+)")


def _app_sets() -> dict[int, dict]:
    return {s["number"]: s for s in json.loads(PRODUCT_SETS.read_text(encoding="utf-8"))["sets"]}


def parse_annex(annex_html: str) -> tuple[dict, list[str]]:
    problems: list[str] = []
    blocks = read_blocks(annex_html)
    app_sets = _app_sets()
    sets: list[dict] = []
    current: dict | None = None
    code_pattern: dict | None = None
    for index, (kind, content) in enumerate(blocks):
        if kind == "p":
            text = str(content)
            following = blocks[index + 1] if index + 1 < len(blocks) else ("", "")
            heading = HEADING.fullmatch(text)
            if heading and following[0] == "p" and str(following[1]).startswith("(Sản phẩm:"):
                current = {"number": int(heading.group(1)), "name": heading.group(2).strip(), "group": None,
                           "sub_group": None, "app_code": None, "rejection": None, "rejection_conditions": [], "star_note": None, "parts": []}
                sets.append(current)
            elif current is None:
                continue
            elif match := KIND.fullmatch(text):
                current["group"], current["sub_group"] = match.group(1), match.group(2)
            elif text.startswith("Mã số sản phẩm"):
                pattern = re.sub(r"[.…]+", "", text.removeprefix("Mã số sản phẩm")).strip(" .")
                code_pattern = code_pattern or {"printed": text, "pattern": re.sub(r"-20$", "-YYYY", pattern)}
            elif text.startswith("T: Mã tỉnh") and code_pattern is not None:
                code_pattern.setdefault("explanation", text)
            elif rejection := REJECTION.match(text):
                if current["rejection"] not in (None, text):
                    problems.append(f"set {current['number']}: two different rejection paragraphs")
                current["rejection"] = text
                current["rejection_conditions"] = [c.strip(" .") for c in
                                                   re.split(r";\s*(?:hoặc\s+)?|\s+hoặc\s+", rejection.group(1))
                                                   if c.strip(" .")]
            elif text.startswith("Ghi chú: Dấu sao"):
                current["star_note"] = text
        elif current is not None and not current["parts"] and content and content[0][0][:1] == ["Các tiêu chí"]:
            current["parts"] = parse_sheet(current["number"], content, problems)
    for product_set in sets:
        app = app_sets.get(product_set["number"])
        product_set["app_code"] = app["code"] if app else None
        group = GROUPS.get(product_set.get("group") or "")
        if app is None:
            problems.append(f"set {product_set['number']} ({product_set['name']}): no app product set")
        elif group != app["group"]:
            problems.append(f"set {product_set['number']}: annex kind {product_set.get('group')!r} is not the app's "
                            f"group {app['group']!r}")
        if product_set["rejection"] is None:
            problems.append(f"set {product_set['number']}: no rejection paragraph in the annex")
        if product_set["star_note"] is None:
            problems.append(f"set {product_set['number']}: no star-marker note under the sheet")
    data = {
        "rule_sets": RULE_SETS,
        "source": {
            "decision": "Quyết định số 26/2026/QĐ-TTg ngày 22/5/2026 của Thủ tướng Chính phủ",
            "annex": "Phụ lục II — Bộ tiêu chí đánh giá sản phẩm OCOP (kiêm phiếu đánh giá sản phẩm OCOP)",
            "url": SOURCE_URL,
            "file": "source/" + SOURCE.name,
            "note": "qd1489-2025-commune uses these sheets too: no sheets of its own were found",
        },
        "generated_by": "python -m ocop_tracker.rules.sheets.build",
        "star_markers": {"***": 3, "****": 4, "*****": 5},
        "product_code": {**(code_pattern or {}), "format": "{province}-{commune}-{seq}-{year}",
                         "unit_codes": "Quyết định số 19/2025/QĐ-TTg ngày 30/6/2025"},
        "build_notes": problems,
        "sets": sets,
    }
    return data, problems


def dumps(data: dict) -> str:
    """Indented JSON with each option on one line: a sheet reads like the annex and diffs stay small."""
    options: list[str] = []

    def one_line(node: object) -> object:
        if isinstance(node, dict):
            if "min_star" in node:
                options.append(json.dumps(node, ensure_ascii=False))
                return f"\0{len(options) - 1}\0"
            return {key: one_line(value) for key, value in node.items()}
        if isinstance(node, list):
            return [one_line(item) for item in node]
        return node

    text = json.dumps(one_line(data), ensure_ascii=False, indent=1)
    return re.sub(r'"\\u0000(\d+)\\u0000"', lambda m: options[int(m.group(1))], text) + "\n"


def build(write: bool = True) -> tuple[dict, list[str]]:
    data, problems = parse_annex(SOURCE.read_text(encoding="utf-8"))
    if write:
        OUTPUT.write_text(dumps(data), encoding="utf-8")
    return data, problems


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--from-original", type=Path, help="the full text of QĐ 26/2026 (bnn_txng.html)")
    args = parser.parse_args(argv)
    if args.from_original:
        SOURCE.write_text(extract_annex(args.from_original.read_text(encoding="utf-8")), encoding="utf-8")
    data, problems = build()
    criteria = [c for s in data["sets"] for p in s["parts"] for sec in p["sections"] for c in sec["criteria"]]
    options = [o for c in criteria for o in c["options"]]
    print(f"{len(data['sets'])} sets, {len(criteria)} criteria, {len(options)} options, "
          f"{sum(o['min_star'] is not None for o in options)} minimum markers -> {OUTPUT.name}")
    for problem in problems:
        print("note:", problem)


if __name__ == "__main__":
    main()
