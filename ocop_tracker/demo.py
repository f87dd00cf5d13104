"""Demo data from the project's source articles: old Hòa Bình province, its cooperatives and products.

Dossiers are moved through the real workflow service, so their history is what users would have made.
"""
from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from .accounts.models import AdministrativeUnit, Organisation, UnitLevel, User
from .accounts.services import create_user
from .clock import today as clock_today
from .documents.services import add_document, current_documents, record_document_check, record_vietgap
from .dossiers.models import Dossier
from .dossiers.placement import dossier_rules
from .dossiers.services import apply_event, create_dossier
from .extensions import db
from .products.models import ProductSet
from .products.services import create_product, load_product_catalogue
from .reviews.models import Council, CouncilMember
from .reviews.services import record_score, record_self_assessment

DEMO_PASSWORD = "ocop-demo-2026"
REFORM_DAY = date(2025, 7, 1)
PDF = b"%PDF-1.4\n% OCOP demo document\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

# (code, name, level, parent code, name after the 2025 reform)
UNITS = [
    ("HB", "Hòa Bình", "province", None, "Phú Thọ"),
    ("HB-LS", "Lương Sơn", "district", "HB", None),
    ("HB-LSN", "Lạc Sơn", "district", "HB", None),
    ("HB-MC", "Mai Châu", "district", "HB", None),
    ("HB-KB", "Kim Bôi", "district", "HB", None),
    ("HB-TL", "Tân Lạc", "district", "HB", None),
    ("HB-DB", "Đà Bắc", "district", "HB", None),
    ("HB-LS-LIENSON", "Liên Sơn", "commune", "HB-LS", "Liên Sơn"),
    ("HB-LS-CAODUONG", "Cao Dương", "commune", "HB-LS", "Cao Dương"),
    ("HB-LS-CAORAM", "Cao Răm", "commune", "HB-LS", None),
    ("HB-LS-CAOSON", "Cao Sơn", "commune", "HB-LS", None),
    ("HB-LSN-NHANNGHIA", "Nhân Nghĩa", "commune", "HB-LSN", "Nhân Nghĩa"),
    ("HB-LSN-VUBINH", "Vũ Bình", "commune", "HB-LSN", "Lạc Sơn"),
    ("HB-LSN-BINHHEM", "Bình Hẻm", "commune", "HB-LSN", None),
    ("HB-LSN-ANNGHIA", "An Nghĩa", "commune", "HB-LSN", None),
    ("HB-TL-DONGLAI", "Đông Lai", "commune", "HB-TL", None),
]
LEVELS = [("province", 1, "Tỉnh", "Province"), ("district", 2, "Huyện", "District"),
          ("commune", 3, "Xã", "Commune")]

# (username, role, full name, organisation key or None, unit code or None)
ACCOUNTS = [
    ("admin", "admin", "Quản trị tỉnh Hòa Bình", None, "HB"),
    ("officer.hoabinh", "officer", "Sở NN&PTNT Hòa Bình", None, "HB"),
    ("officer.luongson", "officer", "Phòng Kinh tế Lương Sơn", None, "HB-LS"),
    ("officer.lacson", "officer", "Phòng NN&PTNT Lạc Sơn", None, "HB-LSN"),
    ("council.luongson1", "council_member", "Chủ tịch HĐ Lương Sơn", None, None),
    ("council.luongson2", "council_member", "Thành viên HĐ Lương Sơn 2", None, None),
    ("council.luongson3", "council_member", "Thành viên HĐ Lương Sơn 3", None, None),
    ("council.lacson1", "council_member", "Chủ tịch HĐ Lạc Sơn", None, None),
    ("council.lacson2", "council_member", "Thành viên HĐ Lạc Sơn 2", None, None),
    ("council.lacson3", "council_member", "Thành viên HĐ Lạc Sơn 3", None, None),
    ("coop.viba", "producer", "Trần Trung Đức", "viba", None),
    ("coop.mytan", "producer", "HTX Nông nghiệp Mỹ Tân", "mytan", None),
    ("coop.nhungvan", "producer", "Bùi Văn Nhưng", "nhungvan", None),
    ("coop.caoram", "producer", "HTX Cao Răm", "caoram", None),
    ("coop.vaidao", "producer", "HTX Vài Đào", "vaidao", None),
    ("coop.caoxaden", "producer", "Hộ sản xuất cao xạ đen", "caoxaden", None),
    ("coop.lamtin", "producer", "Bùi Thị Tín", "lamtin", None),
]
ORGANISATIONS = {
    "viba": ("HTX Chuối Viba (Viba Banana Cooperative)", "cooperative", "HB-LS-LIENSON", "Trần Trung Đức"),
    "mytan": ("HTX Nông nghiệp Mỹ Tân", "cooperative", "HB-LS-CAODUONG", None),
    "nhungvan": ("Công ty TNHH Nhưng Vần Hòa Bình", "enterprise", "HB-LSN-NHANNGHIA", "Bùi Văn Nhưng"),
    "caoram": ("HTX Nông nghiệp và Dịch vụ thương mại Cao Răm", "cooperative", "HB-LS-CAORAM", None),
    "vaidao": ("HTX Nông nghiệp Vài Đào", "cooperative", "HB-LS-CAOSON", None),
    "caoxaden": ("Hộ kinh doanh cao xạ đen Cao Dương", "household_business", "HB-LS-CAODUONG", None),
    "lamtin": ("Hộ kinh doanh Lâm Tín", "household_business", "HB-LSN-VUBINH", "Bùi Thị Tín"),
}
# Made-up contact details; the registry shows them only where the producer chose to publish them.
CONTACTS = {"viba": ("0218 000 0101", "htx.viba@demo.ocop.local", True),
            "nhungvan": ("0218 000 0202", "nhungvan@demo.ocop.local", True),
            "mytan": ("0218 000 0303", "htx.mytan@demo.ocop.local", False)}
COUNCILS = {"HB-LS": ("Hội đồng đánh giá OCOP huyện Lương Sơn", "council.luongson"),
            "HB-LSN": ("Hội đồng đánh giá OCOP huyện Lạc Sơn", "council.lacson")}


def _units() -> dict[str, AdministrativeUnit]:
    for code, rank, name_vi, name_en in LEVELS:
        if db.session.get(UnitLevel, code) is None:
            db.session.add(UnitLevel(code=code, rank=rank, name_vi=name_vi, name_en=name_en))
    units: dict[str, AdministrativeUnit] = {}
    for code, name, level, parent, after in UNITS:
        unit = AdministrativeUnit(code=code, name=name, level=level, parent=units.get(parent),
                                  name_after_2025=after, abolished_on=REFORM_DAY if level == "district" else None)
        db.session.add(unit)
        db.session.flush()
        unit.path = (units[parent].path if parent else "/") + f"{unit.id}/"
        units[code] = unit
    return units


def _people(units: dict[str, AdministrativeUnit]) -> dict[str, User]:
    organisations = {key: Organisation(name=name, kind=kind, unit=units[unit], representative=rep)
                     for key, (name, kind, unit, rep) in ORGANISATIONS.items()}
    for key, (phone, email, public) in CONTACTS.items():
        organisations[key].phone, organisations[key].email, organisations[key].contact_public = phone, email, public
    db.session.add_all(organisations.values())
    users = {username: create_user(username=username, password=DEMO_PASSWORD, role=role, full_name=name,
                                   email=f"{username}@demo.ocop.local", organisation=organisations.get(org),
                                   unit=units.get(unit))
             for username, role, name, org, unit in ACCOUNTS}
    for unit_code, (name, prefix) in COUNCILS.items():
        council = Council(unit=units[unit_code], name=name)
        db.session.add(council)
        for seat in (1, 2, 3):
            db.session.add(CouncilMember(council=council, user=users[f"{prefix}{seat}"], is_chair=seat == 1))
    db.session.flush()
    return users


class _Journey:
    """Moves one demo dossier through the workflow on chosen days."""

    def __init__(self, users: dict[str, User], producer: str, name: str, set_number: int, started: date):
        self.users, self.day = users, started
        product_set = db.session.scalar(db.select(ProductSet).filter_by(number=set_number))
        owner = users[producer]
        self.owner = owner
        product = create_product(actor=owner, name=name, product_set=product_set)
        self.dossier: Dossier = create_dossier(product, actor=owner)

    def documents(self) -> _Journey:
        rules = dossier_rules(self.dossier)
        group = self.dossier.product.product_set.group.code
        for kind in rules.required_documents(self.dossier.dossier_type, group):
            add_document(self.dossier, actor=self.owner, kind=kind, filename=f"{kind}.pdf", data=PDF)
        return self

    def vietgap(self) -> _Journey:
        record_vietgap(self.dossier, actor=self.owner, certificate_no=f"VG-{self.dossier.id:04d}",
                       issuer="VIETCERT", issued_on=self.day - timedelta(days=60),
                       valid_until=self.day + relativedelta(years=3))
        return self

    def fire(self, event: str, who: str | None, after_days: int = 0, **extra) -> _Journey:
        self.day += timedelta(days=after_days)
        actor = self.users[who] if who else None
        apply_event(self.dossier, event, actor=actor, version=self.dossier.version, today=self.day, **extra)
        return self

    def checks(self, officer: str, notes: dict[str, str]) -> _Journey:
        """The officer's verdict per document: accepted, or a supplement with its note."""
        held = current_documents(self.dossier)
        for kind, note in notes.items():
            record_document_check(held[kind], actor=self.users[officer], note=note,
                                  outcome="needs_supplement" if note else "accepted")
        return self

    def scores(self, prefix: str, *parts: tuple[int, int, int]) -> _Journey:
        for seat, (a, b, c) in enumerate(parts, start=1):
            record_score(self.dossier, actor=self.users[f"{prefix}{seat}"], parts={"A": a, "B": b, "C": c})
        return self


def _certified(users, producer, name, set_number, issued_on, prefix, parts) -> _Journey:
    journey = _Journey(users, producer, name, set_number, issued_on - timedelta(days=40)).documents()
    officer = "officer.luongson" if prefix == "council.luongson" else "officer.lacson"
    if dossier_rules(journey.dossier).has_vietgap_stage(set_number):
        journey.vietgap().fire("submit", producer).fire("verify_vietgap", officer, 5)
    else:
        journey.fire("submit", producer)
    journey.fire("forward", officer, 10).scores(prefix, *parts)
    journey.day = issued_on
    return journey.fire("close_rating", f"{prefix}1")


def _dossiers(users: dict[str, User], today: date) -> None:
    three_years = relativedelta(months=36)
    # In its re-rating window (expires in 150 days) and, at 3★, eligible for an upgrade.
    _certified(users, "coop.viba", "Chuối tiêu Viba", 1, today + timedelta(days=150) - three_years,
               "council.luongson", [(25, 17, 20), (24, 16, 21), (26, 17, 19)])
    # Near its expiry: 25 days left, past the filing window.
    _certified(users, "coop.mytan", "Chè Mỹ Tân", 11, today + timedelta(days=25) - three_years,
               "council.luongson", [(24, 15, 20), (23, 16, 19), (25, 15, 21)])
    _certified(users, "coop.nhungvan", "Tinh bột nghệ Nhưng Vần", 7, today - timedelta(days=420),
               "council.lacson", [(33, 20, 28), (32, 21, 27), (34, 20, 29)])
    rating = _Journey(users, "coop.nhungvan", "Tinh bột nghệ đen Nhưng Vần", 7, today - timedelta(days=30))
    rating.documents().fire("submit", "coop.nhungvan").fire("forward", "officer.lacson", 8)
    rating.scores("council.lacson", (30, 19, 26), (31, 18, 27))
    orange = _Journey(users, "coop.caoram", "Cam Cao Răm", 1, today - timedelta(days=6))
    orange.documents().vietgap().fire("submit", "coop.caoram")
    longan = _Journey(users, "coop.vaidao", "Nhãn Vài Đào", 1, today - timedelta(days=12))
    longan.documents().vietgap().fire("submit", "coop.vaidao").fire("verify_vietgap", "officer.luongson", 3)
    extract = _Journey(users, "coop.caoxaden", "Cao xạ đen Cao Dương", 18, today - timedelta(days=20))
    extract.documents().fire("submit", "coop.caoxaden").checks("officer.luongson", {
        "registration_form": "", "business_licence": "Bổ sung bản sao giấy phép có chứng thực.",
        "self_assessment": "Phần C thiếu minh chứng: kèm phiếu kết quả kiểm nghiệm còn hiệu lực."}).fire(
        "return", "officer.luongson", 9, comment="Thiếu phiếu kết quả kiểm nghiệm còn hiệu lực; bổ sung bản sao giấy phép.")
    guava = _Journey(users, "coop.mytan", "Ổi Mỹ Tân", 1, today - timedelta(days=200))
    guava.documents().vietgap().fire("submit", "coop.mytan").fire("verify_vietgap", "officer.luongson", 4)
    guava.fire("forward", "officer.luongson", 7).scores("council.luongson", (18, 10, 15), (17, 9, 16), (19, 11, 14))
    guava.fire("close_rating", "council.luongson1", 20)
    pork = _Journey(users, "coop.lamtin", "Thịt chua Lâm Tín", 8, today - timedelta(days=3))
    add_document(pork.dossier, actor=pork.owner, kind="registration_form", filename="Mẫu 01 đăng ký.pdf", data=PDF)
    record_self_assessment(pork.dossier, actor=pork.owner, parts={"A": 24, "B": 14, "C": 22})
    _Journey(users, "coop.mytan", "Bưởi Mỹ Tân", 1, today - timedelta(days=1))


def seed_demo(today: date | None = None) -> bool:
    """Load the demo once; False when it is already there. Refuses a database with other users."""
    load_product_catalogue()
    if db.session.scalar(db.select(User.id).filter_by(username="coop.viba")) is not None:
        return False
    if db.session.scalar(db.select(db.func.count(User.id))):
        raise RuntimeError("this database holds other users: the demo data and its public passwords "
                           "belong only in an empty database")
    users = _people(_units())
    _dossiers(users, today or clock_today())
    return True
