"""Administrators read every rule set, its filing period and its levels; the CLI prints the same."""
from __future__ import annotations

import re

import pytest

PERIODS = {
    "qd1048-2019-district": "từ 21/08/2019 đến 23/02/2023",
    "qd148-2023-district": "từ 24/02/2023 đến 05/07/2025",
    "qd1489-2025-commune": "từ 06/07/2025 đến 21/05/2026",
    "qd26-2026-commune": "từ 22/05/2026",
}


def rule_set_sections(client) -> dict[str, str]:
    """Rule set code → its section's HTML, in page order."""
    response = client.get("/admin/rule-sets")
    assert response.status_code == 200
    found = re.findall(r'<section[^>]*id="rule-set-([^"]+)"[^>]*>(.*?)</section>', response.get_data(as_text=True),
                       re.DOTALL)
    return dict(found)


def in_force(sections: dict[str, str]) -> list[str]:
    return [code for code, html in sections.items() if "đang áp dụng" in html]


def test_page_lists_the_four_rule_sets_oldest_first_with_their_periods(app, world, login_as):
    app.config["TODAY"] = "2026-11-30"
    sections = rule_set_sections(login_as("admin"))
    assert list(sections) == list(PERIODS)
    for code, period in PERIODS.items():
        assert re.search(r'class="col-sm-8 filing-period">\s*' + period + r"\s*<", sections[code]), code
    assert in_force(sections) == ["qd26-2026-commune"]


@pytest.mark.parametrize("day, code", [("2024-03-04", "qd148-2023-district"), ("2026-05-21", "qd1489-2025-commune"),
                                       ("2026-05-22", "qd26-2026-commune")])
def test_in_force_badge_follows_the_day(app, world, login_as, day, code):
    app.config["TODAY"] = day
    assert in_force(rule_set_sections(login_as("admin"))) == [code]


def test_levels_limits_and_batches_are_shown(world, login_as):
    sections = rule_set_sections(login_as("admin"))
    district_era = sections["qd148-2023-district"]
    district = re.search(r'<tr data-level="district">(.*?)</tr>', district_era, re.DOTALL).group(1)
    assert "UBND huyện" in district and "Hội đồng đánh giá cấp huyện" in district and "3★" in district
    assert "từ 70 điểm" in district and "Chủ tịch UBND huyện" in district
    assert "Không tổ chức theo đợt" in district_era and "A 40 · B 25 · C 35" in district_era
    today = sections["qd26-2026-commune"]
    province = re.search(r'<tr data-level="province">(.*?)</tr>', today, re.DOTALL).group(1)
    assert "3★, 4★" in province and "từ 90 điểm" in province and "Chủ tịch UBND tỉnh" in province
    assert "UBND xã · 15 ngày làm việc" in today
    assert "nộp đến 30/04, quyết định trước 30/06; nộp đến 30/10, quyết định trước 30/12" in today
    assert "36 tháng" in today and "từ 180 đến 120 ngày trước ngày hết hiệu lực" in today


def test_page_is_for_administrators_only(world, login_as):
    assert login_as("province_officer").get("/admin/rule-sets").status_code == 404


def test_admin_index_links_the_page(world, login_as):
    assert 'href="/admin/rule-sets"' in login_as("admin").get("/admin/").get_data(as_text=True)


def test_rule_sets_command_prints_periods_and_levels(app):
    result = app.test_cli_runner().invoke(args=["rule-sets"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "qd148-2023-district: filings 2023-02-24 to 2025-07-05, first level district" in lines
    assert "  district: recognises 3*, sends up from 70, decided by Chairman of the District People's Committee" \
        in lines
    assert "qd26-2026-commune: filings 2026-05-22 to onwards, first level commune" in lines
    assert [line.split(":")[0] for line in lines if not line.startswith(" ")] == list(PERIODS)
