"""Demo data on today's map: Phú Thọ province (which took in old Hòa Bình on 1/7/2025), the communes of the
abolished Lương Sơn and Lạc Sơn districts, and the source articles' products.

Every dossier is moved through the real workflow on the day each step happened, so district-era rounds
(QĐ 1048, QĐ 148) and today's commune–province rounds (QĐ 1489, QĐ 26) carry the history users would have made.
"""
from __future__ import annotations

from datetime import date

from ..accounts.models import AdministrativeUnit, Organisation, User
from ..accounts.services import create_user
from ..admin.services import ensure_standard_levels, store_unit
from ..clock import today as clock_today
from ..extensions import db
from ..products.services import load_product_catalogue
from ..reviews.models import Council, CouncilMember, EvaluationBatch
from ..rules.rulesets import get_rule_set
from .journeys import DEMO_PASSWORD
from .stories import tell_stories

REFORM_DAY = date(2025, 7, 1)

# (key, code, name, level, parent key): codes of QĐ 19/2025/QĐ-TTg as in accounts/data/units-phu-tho.csv (the
# districts keep their former codes), so certificate codes read as the annex prints them (25-05047-1-2026).
# Abolished districts stay on the map, above the communes that were theirs.
UNITS = [
    ("PT", "25", "Phú Thọ", "province", None),
    ("PT-LS", "152", "Lương Sơn", "district", "PT"),
    ("PT-LSN", "157", "Lạc Sơn", "district", "PT"),
    ("PT-LS-LIENSON", "04960", "Liên Sơn", "commune", "PT-LS"),
    ("PT-LS-CAODUONG", "05047", "Cao Dương", "commune", "PT-LS"),
    ("PT-LS-LUONGSON", "04924", "Lương Sơn", "commune", "PT-LS"),
    ("PT-LSN-NHANNGHIA", "05290", "Nhân Nghĩa", "commune", "PT-LSN"),
    ("PT-LSN-LACSON", "05266", "Lạc Sơn", "commune", "PT-LSN"),
]

# (username, role, full name, organisation key or None, unit code or None)
ACCOUNTS = [
    ("admin", "admin", "Quản trị OCOP tỉnh Phú Thọ", None, "PT"),
    ("officer.phutho", "officer", "Văn phòng Điều phối OCOP tỉnh Phú Thọ", None, "PT"),
    ("council.phutho1", "council_member", "Chủ tịch Hội đồng OCOP tỉnh Phú Thọ", None, None),
    ("council.phutho2", "council_member", "Thành viên Hội đồng tỉnh 2", None, None),
    ("council.phutho3", "council_member", "Thành viên Hội đồng tỉnh 3", None, None),
    ("officer.caoduong", "officer", "UBND xã Cao Dương", None, "PT-LS-CAODUONG"),
    ("officer.lienson", "officer", "UBND xã Liên Sơn", None, "PT-LS-LIENSON"),
    ("officer.nhannghia", "officer", "UBND xã Nhân Nghĩa", None, "PT-LSN-NHANNGHIA"),
    ("coop.viba", "producer", "Trần Trung Đức", "viba", None),
    ("coop.mytan", "producer", "HTX Nông nghiệp Mỹ Tân", "mytan", None),
    ("coop.nhungvan", "producer", "Bùi Văn Nhưng", "nhungvan", None),
    ("coop.caoxaden", "producer", "Hộ sản xuất cao xạ đen", "caoxaden", None),
    ("coop.lamtin", "producer", "Bùi Thị Tín", "lamtin", None),
    ("officer.luongson", "officer", "Phòng Kinh tế huyện Lương Sơn (đến 30/6/2025)", None, "PT-LS"),
    ("officer.lacson", "officer", "Phòng NN&PTNT huyện Lạc Sơn (đến 30/6/2025)", None, "PT-LSN"),
    ("council.luongson1", "council_member", "Chủ tịch HĐ huyện Lương Sơn", None, None),
    ("council.luongson2", "council_member", "Thành viên HĐ huyện Lương Sơn 2", None, None),
    ("council.luongson3", "council_member", "Thành viên HĐ huyện Lương Sơn 3", None, None),
    ("council.lacson1", "council_member", "Chủ tịch HĐ huyện Lạc Sơn", None, None),
    ("council.lacson2", "council_member", "Thành viên HĐ huyện Lạc Sơn 2", None, None),
    ("council.lacson3", "council_member", "Thành viên HĐ huyện Lạc Sơn 3", None, None),
]
ORGANISATIONS = {
    "viba": ("HTX Chuối Viba (Viba Banana Cooperative)", "cooperative", "PT-LS-LIENSON", "Trần Trung Đức"),
    "mytan": ("HTX Nông nghiệp Mỹ Tân", "cooperative", "PT-LS-CAODUONG", None),
    "nhungvan": ("Công ty TNHH Nhưng Vần Hòa Bình", "enterprise", "PT-LSN-NHANNGHIA", "Bùi Văn Nhưng"),
    "caoxaden": ("Hộ kinh doanh cao xạ đen Cao Dương", "household_business", "PT-LS-CAODUONG", None),
    "lamtin": ("Hộ kinh doanh Lâm Tín", "household_business", "PT-LSN-LACSON", "Bùi Thị Tín"),
}
# Made-up contact details; the registry shows them only where the producer chose to publish them.
CONTACTS = {"viba": ("0218 000 0101", "htx.viba@demo.ocop.local", True),
            "nhungvan": ("0218 000 0202", "nhungvan@demo.ocop.local", True),
            "mytan": ("0218 000 0303", "htx.mytan@demo.ocop.local", False)}
COUNCILS = {"PT": ("Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Phú Thọ", "council.phutho"),
            "PT-LS": ("Hội đồng đánh giá, phân hạng sản phẩm OCOP huyện Lương Sơn", "council.luongson"),
            "PT-LSN": ("Hội đồng đánh giá, phân hạng sản phẩm OCOP huyện Lạc Sơn", "council.lacson")}


def _units() -> dict[str, AdministrativeUnit]:
    ensure_standard_levels()
    units: dict[str, AdministrativeUnit] = {}
    for key, code, name, level, parent in UNITS:
        # A map imported first (flask import-units of the sample) already holds these units: the demo uses them.
        units[key] = db.session.scalar(db.select(AdministrativeUnit).filter_by(code=code)) or store_unit(
            None, code=code, name=name, level=level, parent=units[parent] if parent else None,
            abolished_on=REFORM_DAY if level == "district" else None)
    return units


def _people(units: dict[str, AdministrativeUnit]) -> dict[str, User]:
    organisations = {key: Organisation(name=name, kind=kind, unit=units[unit], representative=rep)
                     for key, (name, kind, unit, rep) in ORGANISATIONS.items()}
    for key, (phone, email, public) in CONTACTS.items():
        organisations[key].phone, organisations[key].email, organisations[key].contact_public = phone, email, public
    db.session.add_all(organisations.values())
    users = {username: create_user(username=username, password=DEMO_PASSWORD, role=role, full_name=name,
                                   email=f"{username}@demo.ocop.local",
                                   organisation=organisations[org] if org else None,
                                   unit=units[unit] if unit else None, public_demo_password=True)
             for username, role, name, org, unit in ACCOUNTS}
    users["officer.phutho"].is_unit_head = True
    for unit_code, (name, prefix) in COUNCILS.items():
        council = Council(unit=units[unit_code], name=name)
        db.session.add(council)
        for seat in (1, 2, 3):
            db.session.add(CouncilMember(council=council, user=users[f"{prefix}{seat}"], is_chair=seat == 1))
    db.session.flush()
    return users


def _batches(province: AdministrativeUnit, today: date) -> None:
    """The province's batches of QĐ 26 (Điều 5): this year's two and next year's first."""
    rules = get_rule_set("qd26-2026-commune")
    periods = rules.batch_periods("province", today.year) + rules.batch_periods("province", today.year + 1)[:1]
    for number, (cutoff, due) in enumerate(periods):
        name = f"Đợt {1 + number % 2} năm {cutoff.year}"
        db.session.add(EvaluationBatch(unit=province, name=name, filing_cutoff=cutoff, decision_due=due))
    db.session.flush()


def seed_demo(today: date | None = None) -> bool:
    """Load the demo once; False when it is already there. Refuses a database with other users."""
    load_product_catalogue()
    if db.session.scalar(db.select(User.id).filter_by(username="coop.viba")) is not None:
        return False
    if db.session.scalar(db.select(db.func.count(User.id))):
        raise RuntimeError("this database holds other users: the demo data and its public passwords "
                           "belong only in an empty database")
    today = today or clock_today()
    units = _units()
    users = _people(units)
    _batches(units["PT"], today)
    tell_stories(users, today)
    return True
