"""The demo dossiers: the source articles' products through the district era and today's procedure.

Dates before 1/7/2025 run under the district-era rule sets (QĐ 1048, QĐ 148); later ones under QĐ 1489 and
QĐ 26. Relative dates keep the certified products inside their windows whenever the demo is loaded.
"""
from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from ..accounts.models import User
from .journeys import HOA_BINH, Journey, decision

MONTHS_VALID = relativedelta(months=36)
RETURN_NOTES = {"registration_form": "", "business_licence": "Bổ sung bản sao giấy phép có chứng thực.",
                "self_assessment": "Phần C thiếu minh chứng: kèm phiếu kết quả kiểm nghiệm còn hiệu lực."}


def _before_reform(day: date) -> date:
    """A district-era day counted from today, kept before the reform when the demo is loaded years later."""
    return min(day, date(2025, 4, 1))


def _district_three_stars(users, producer, name, set_number, signed_on, district, officer, vietgap=False):
    """QĐ 148: the district checks, its council gives 3★, the district chairman decides."""
    journey = Journey(users, producer, name, set_number, signed_on - timedelta(days=75)).documents()
    if vietgap:
        journey.vietgap().fire("submit", producer).fire("verify_vietgap", officer, 5)
    else:
        journey.fire("submit", producer)
    journey.fire("forward", officer, 10).rated(officer, f"council.{district}",
                                               [(25, 17, 20), (24, 16, 21), (26, 17, 19)], 25)
    decision(users, officer, f"{signed_on.month}{signed_on.day:02d}/QĐ-UBND", signed_on, journey)
    return journey


def _history(users: dict[str, User], today: date) -> dict[str, Journey]:
    """District-era rounds: finished, certified, expired or revoked."""
    tea = Journey(users, "coop.mytan", "Chè Mỹ Tân", 11, date(2022, 8, 1),
                  "Chè shan tuyết hái tay trên đồi Cao Dương.").documents()
    tea.district_then_province("luongson", [(21, 15, 26), (22, 14, 25), (20, 15, 27)],
                               [(22, 15, 25), (21, 14, 26), (22, 15, 24)])  # QĐ 1048: 50 and more go up
    pork = Journey(users, "coop.lamtin", "Thịt chua Lâm Tín", 8, date(2021, 9, 1),
                   "Thịt lợn đen ủ chua lá ổi, truy xuất bằng mã QR.").documents()
    pork.district_then_province("lacson", [(20, 15, 25), (21, 14, 26), (20, 16, 24)],
                                [(21, 15, 24), (20, 15, 25), (22, 14, 24)])
    decision(users, "officer.phutho", "1020/QĐ-UBND", date(2022, 6, 15), pork, body=HOA_BINH)
    pork.fire_on(date(2025, 6, 16), "expire", None)  # the day after its last valid day: not re-rated in time
    decision(users, "officer.phutho", "1582/QĐ-UBND", date(2022, 12, 20), tea, body=HOA_BINH)

    starch = Journey(users, "coop.nhungvan", "Tinh bột nghệ Nhưng Vần", 7, date(2024, 2, 1),
                     "Tinh bột nghệ vàng xóm Bưng, xuất khẩu sang Anh.").documents()
    starch.district_then_province("lacson", [(32, 20, 26), (31, 21, 27), (33, 19, 26)],
                                  [(33, 20, 27), (32, 21, 28), (34, 20, 27)])  # QĐ 148: 70 and more go up
    decision(users, "officer.phutho", "1466/QĐ-UBND", date(2024, 6, 20), starch, body=HOA_BINH)

    # In its re-rating window and, at 3★, eligible for an upgrade.
    banana = _district_three_stars(users, "coop.viba", "Chuối tiêu Viba", 1,
                                   _before_reform(today + timedelta(days=150) - MONTHS_VALID),
                                   "luongson", "officer.luongson", vietgap=True)
    flour = _district_three_stars(users, "coop.viba", "Bột chuối xanh Viba", 7,
                                  _before_reform(today + timedelta(days=171) - MONTHS_VALID),
                                  "luongson", "officer.luongson")
    vacuum = _district_three_stars(users, "coop.lamtin", "Thịt chua hút chân không Lâm Tín", 8, date(2024, 8, 10),
                                   "lacson", "officer.lacson")
    return {"tea": tea, "starch": starch, "banana": banana, "flour": flour, "vacuum": vacuum}


def _after_reform(users: dict[str, User], old: dict[str, Journey], today: date) -> None:
    """Rounds filed since the reform: the commune checks, the province admits, scores and decides."""
    # Re-rated 3★ under QĐ 1489 within its window, then an upgrade being prepared: its upgrade plan names the
    # points to 70 and the 4★ minimums the council found unmet (chain contracts, quality management).
    tea = old["tea"]
    tea.fire_on(date(2025, 7, 20), "request_re_rating", "coop.mytan").documents()
    tea.fire("submit", "coop.mytan", 12).fire("forward", "officer.caoduong", 11)
    tea.fire("admit", "officer.phutho", 8).rated("officer.phutho", "council.phutho",
                                                  [(24, 15, 24), (23, 16, 25), (25, 15, 23)], 36,
                                                  short_of={"11-1.5": 4, "11-9": 4})
    decision(users, "officer.phutho", "2150/QĐ-UBND", date(2025, 10, 15), tea)
    tea.fire_on(today - timedelta(days=10), "request_upgrade", "coop.mytan")

    starch = old["starch"]  # an upgrade scored 92 by the province: with the national council now
    starch.fire_on(date(2026, 6, 10), "request_upgrade", "coop.nhungvan").documents()
    starch.fire("submit", "coop.nhungvan", 5).fire("forward", "officer.nhannghia", 10)
    starch.fire("admit", "officer.phutho", 6).rated("officer.phutho", "council.phutho",
                                                     [(37, 23, 32), (36, 24, 32), (38, 23, 31)], 40)
    old["flour"].fire_on(today - timedelta(days=3), "request_re_rating", "coop.viba")
    old["vacuum"].fire_on(date(2026, 10, 1), "revoke", "officer.phutho",
                          grounds="Kiểm tra sau công nhận: nhãn không ghi hạn sử dụng theo quy định (Điều 8).")

    jam = Journey(users, "coop.viba", "Mứt chuối Viba", 7, date(2026, 7, 1)).documents()
    jam.fire("submit", "coop.viba").fire("forward", "officer.lienson", 9).fire("admit", "officer.phutho", 10)
    jam.rated("officer.phutho", "council.phutho", [(25, 16, 23), (24, 16, 24), (26, 15, 23)], 50)
    teabags = Journey(users, "coop.mytan", "Trà túi lọc Mỹ Tân", 11, date(2026, 7, 5)).documents()
    teabags.fire("submit", "coop.mytan").fire("forward", "officer.caoduong", 8).fire("admit", "officer.phutho", 11)
    # 76.33 points, but the product story is not documented (a 4★ minimum): the council proposes 3★.
    teabags.rated("officer.phutho", "council.phutho", [(31, 19, 26), (30, 20, 27), (32, 19, 25)], 48,
                  short_of={"11-5.1": 4})
    guava = Journey(users, "coop.mytan", "Ổi Mỹ Tân", 1, date(2026, 6, 10)).documents().vietgap()
    guava.fire("submit", "coop.mytan").fire("verify_vietgap", "officer.caoduong", 4)
    guava.fire("forward", "officer.caoduong", 7).fire("admit", "officer.phutho", 10)
    guava.rated("officer.phutho", "council.phutho", [(18, 10, 15), (17, 9, 16), (19, 11, 14)], 40)  # 2★: no decision
    _in_progress(users, today)


def _in_progress(users: dict[str, User], today: date) -> None:
    """Dossiers at every earlier step today."""
    days_ago = lambda n: today - timedelta(days=n)
    black = Journey(users, "coop.nhungvan", "Tinh bột nghệ đen Nhưng Vần", 7, days_ago(30)).documents()
    black.fire("submit", "coop.nhungvan").fire("forward", "officer.nhannghia", 10).fire("admit", "officer.phutho", 5)
    black.scores("council.phutho", (30, 19, 26), (31, 18, 27))
    honey = Journey(users, "coop.mytan", "Mật ong hoa rừng Mỹ Tân", 4, days_ago(25)).documents()
    honey.fire("submit", "coop.mytan").fire("forward", "officer.caoduong", 17)
    dried = Journey(users, "coop.viba", "Chuối sấy dẻo Viba", 7, days_ago(5)).documents()
    dried.fire("submit", "coop.viba")
    pomelo = Journey(users, "coop.mytan", "Bưởi Mỹ Tân", 1, days_ago(6)).documents()
    pomelo.fire("submit", "coop.mytan")  # no VietGAP certificate: the commune proceeds with a comment
    extract = Journey(users, "coop.caoxaden", "Cao xạ đen Cao Dương", 18, days_ago(20)).documents()
    extract.fire("submit", "coop.caoxaden").checks("officer.caoduong", RETURN_NOTES).fire(
        "return", "officer.caoduong", 9,
        comment="Thiếu phiếu kết quả kiểm nghiệm còn hiệu lực; bổ sung bản sao giấy phép.")
    shoots = Journey(users, "coop.mytan", "Măng khô Mỹ Tân", 4, date(2026, 9, 1)).documents()
    shoots.fire("submit", "coop.mytan").fire("withdraw", "coop.mytan", 4)
    sausage = Journey(users, "coop.lamtin", "Lạp xưởng Lâm Tín", 8, days_ago(3))
    sausage.documents("registration_form").self_assessed(24, 14, 22)
    Journey(users, "coop.mytan", "Bưởi đỏ Mỹ Tân", 1, days_ago(1))


def tell_stories(users: dict[str, User], today: date) -> None:
    _after_reform(users, _history(users, today), today)
