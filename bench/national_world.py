"""The national map and its people for the generator: units, organisations, users, councils and batches.

Sizes follow the dossier count: at 100,000 dossiers 34 provinces, ~3,300 communes (under ~660 districts abolished
on 1/7/2025, kept for the district-era files), ~40,000 organisations and ~10,000 users. One commune is busy (3 %
of the organisations) and one producer holds a hundred products.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from bulk import Writer
from werkzeug.security import generate_password_hash

from ocop_tracker.rules.rulesets import get_rule_set

PASSWORD = "bench-password-2026"  # every generated account signs in with it
REFORM_DAY = date(2025, 7, 1)
PROVINCES = ("Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa", "Nghệ An",
             "Hà Tĩnh", "Cao Bằng", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ", "Bắc Ninh", "Hưng Yên",
             "Hải Phòng", "Ninh Bình", "Quảng Trị", "Đà Nẵng", "Quảng Ngãi", "Gia Lai", "Khánh Hòa", "Lâm Đồng",
             "Đắk Lắk", "Hồ Chí Minh", "Đồng Nai", "Tây Ninh", "Cần Thơ", "Vĩnh Long", "Đồng Tháp", "Cà Mau",
             "An Giang")
PLACES = ("Tân Lập", "Hòa Bình", "Thanh Sơn", "Phú Lương", "Đồng Tâm", "Quang Trung", "Yên Thế", "Minh Khai",
          "Hưng Đạo", "Trung Sơn", "Cao Phong", "Kim Bôi", "Mỹ Đức", "Vân Hồ", "Mường Lát", "Bình Minh")
KINDS = ("cooperative", "enterprise", "household_business", "cooperative_group")
KIND_NAMES = {"cooperative": "HTX", "enterprise": "Công ty TNHH", "household_business": "Hộ kinh doanh",
              "cooperative_group": "Tổ hợp tác"}


@dataclass
class Province:
    id: int
    code: str
    name: str
    officers: list[int] = field(default_factory=list)
    council_id: int = 0
    council_members: list[int] = field(default_factory=list)
    batches: list[tuple[int, date, date]] = field(default_factory=list)  # (id, filing cut-off, decision due)


@dataclass
class Commune:
    id: int
    province: Province
    district_id: int
    district_officer: int = 0
    district_council_id: int = 0
    district_council_members: list[int] = field(default_factory=list)
    officers: list[int] = field(default_factory=list)


@dataclass
class Organisation:
    id: int
    name: str
    commune: Commune
    user_id: int | None = None
    user_name: str = ""


@dataclass
class World:
    provinces: list[Province] = field(default_factory=list)
    communes: list[Commune] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)
    users: dict[str, int] = field(default_factory=dict)  # username → id, for the tests and benchmarks
    names: dict[int, str] = field(default_factory=dict)  # user id → full name, for the history rows


def sizes(dossiers: int) -> dict[str, int]:
    communes = max(6, dossiers // 30)
    provinces = max(1, min(len(PROVINCES), dossiers // 2000))
    return {"provinces": provinces, "communes": communes, "districts": max(2 * provinces, communes // 5),
            "organisations": max(8, dossiers * 2 // 5), "users": max(40, dossiers // 10)}


class WorldBuilder:
    """Writes the rows of the map and its people, keeping what the dossiers need to refer to."""

    def __init__(self, writer: Writer, rng: random.Random, today: date, password_method: str):
        self.writer, self.rng, self.today = writer, rng, today
        self.world = World()
        self.password_hash = generate_password_hash(PASSWORD, method=password_method)  # hashed once, shared
        self.created = datetime(2019, 8, 1, 2, tzinfo=UTC)

    def user(self, username: str, role: str, full_name: str, *, unit_id=None, organisation_id=None,
             head: bool = False) -> int:
        user_id = self.writer.next_id("users")
        self.writer.add("users", {
            "id": user_id, "username": username, "password_hash": self.password_hash, "full_name": full_name,
            "email": f"{username}@bench.ocop.local", "role": role, "organisation_id": organisation_id,
            "unit_id": unit_id, "locale": "vi", "mail_preference": "summary" if user_id % 3 == 0 else "immediate",
            "is_unit_head": head, "active": True, "created_at": self.created})
        self.world.users[username], self.world.names[user_id] = user_id, full_name
        return user_id

    def unit(self, code: str, name: str, level: str, parent: tuple[int, str] | None) -> tuple[int, str]:
        unit_id = self.writer.next_id("administrative_units")
        path = (parent[1] if parent else "/") + f"{unit_id}/"
        self.writer.add("administrative_units", {
            "id": unit_id, "code": code, "name": name, "level": level, "parent_id": parent[0] if parent else None,
            "path": path, "name_after_2025": None,
            "abolished_on": REFORM_DAY if level == "district" else None})
        return unit_id, path

    def council(self, unit_id: int, name: str, prefix: str, seats: int) -> tuple[int, list[int]]:
        council_id = self.writer.next_id("councils")
        self.writer.add("councils", {"id": council_id, "unit_id": unit_id, "name": name})
        members = []
        for seat in range(1, seats + 1):
            title = "Chủ tịch Hội đồng" if seat == 1 else f"Thành viên {seat}"
            member = self.user(f"{prefix}.{seat}", "council_member", f"{title} — {name}")
            self.writer.add("council_members", {"id": self.writer.next_id("council_members"),
                                                "council_id": council_id, "user_id": member, "is_chair": seat == 1})
            members.append(member)
        return council_id, members

    def build(self, dossiers: int) -> World:
        size = sizes(dossiers)
        for number in range(size["provinces"]):
            self._province(number, size)
        self.writer.flush_all()
        self._batches()
        self._organisations(size)
        self.writer.flush_all()
        return self.world

    def _province(self, number: int, size: dict[str, int]) -> None:
        code, name = f"P{number + 1:02d}", PROVINCES[number]
        province = self.unit(code, name, "province", None)
        entry = Province(province[0], code, name)
        self.world.provinces.append(entry)
        if number == 0:
            self.user("admin", "admin", "Quản trị hệ thống OCOP", unit_id=province[0])
        self.user(f"admin.{code.lower()}", "admin", f"Quản trị OCOP tỉnh {name}", unit_id=province[0])
        entry.officers = [self.user(f"officer.{code.lower()}.{n}", "officer", f"Văn phòng OCOP tỉnh {name} {n}",
                                    unit_id=province[0], head=n == 1) for n in (1, 2, 3)]
        entry.council_id, entry.council_members = self.council(
            province[0], f"Hội đồng OCOP tỉnh {name}", f"council.{code.lower()}", 5)
        districts = size["districts"] // size["provinces"] + (number < size["districts"] % size["provinces"])
        communes = size["communes"] // size["provinces"] + (number < size["communes"] % size["provinces"])
        for d in range(districts):
            self._district(entry, province, d, communes // districts + (d < communes % districts))

    def _district(self, province: Province, parent: tuple[int, str], d: int, communes: int) -> None:
        code = f"{province.code}-D{d + 1:02d}"
        place = self.rng.choice(PLACES)
        district = self.unit(code, f"{place} {d + 1}", "district", parent)
        officer = self.user(f"officer.{code.lower()}", "officer", f"Phòng Kinh tế huyện {place} (đến 30/6/2025)",
                            unit_id=district[0], head=True)
        council_id, members = self.council(district[0], f"Hội đồng OCOP huyện {place} {d + 1}",
                                           f"council.{code.lower()}", 3)
        for c in range(communes):
            commune_code = f"{code}-C{c + 1:02d}"
            unit = self.unit(commune_code, f"{self.rng.choice(PLACES)} {d + 1}.{c + 1}", "commune", district)
            commune = Commune(unit[0], province, district[0], officer, council_id, members)
            commune.officers = [self.user(f"officer.{commune_code.lower()}", "officer",
                                          f"UBND xã {commune_code}", unit_id=unit[0], head=True)]
            self.world.communes.append(commune)

    def _batches(self) -> None:
        """QĐ 26's two provincial batches a year, from 2026 to next year; the past ones closed."""
        rules = get_rule_set("qd26-2026-commune")
        for province in self.world.provinces:
            for year in range(2026, self.today.year + 2):
                for n, (cutoff, due) in enumerate(rules.batch_periods("province", year), start=1):
                    batch_id = self.writer.next_id("evaluation_batches")
                    self.writer.add("evaluation_batches", {
                        "id": batch_id, "unit_id": province.id, "name": f"Đợt {n} năm {year}",
                        "filing_cutoff": cutoff, "decision_due": due,
                        "closed_on": due if due < self.today else None, "created_at": self.created})
                    province.batches.append((batch_id, cutoff, due))

    def _organisations(self, size: dict[str, int]) -> None:
        """Organisations over the communes (the first one busy); the first ones get a producer account."""
        communes = self.world.communes
        accounts = max(8, size["users"] - len(self.world.users))
        for n in range(size["organisations"]):
            commune = communes[0] if n % 33 == 0 else self.rng.choice(communes)
            kind = KINDS[n % len(KINDS)]
            name = f"{KIND_NAMES[kind]} {self.rng.choice(PLACES)} {n + 1}"
            organisation_id = self.writer.next_id("organisations")
            self.writer.add("organisations", {
                "id": organisation_id, "name": name, "kind": kind, "unit_id": commune.id,
                "representative": f"Người đại diện {n + 1}", "address": f"Thôn {n % 12 + 1}",
                "phone": f"0900 {n:06d}", "email": f"org{n + 1}@bench.ocop.local", "contact_public": n % 2 == 0,
                "created_at": self.created})
            organisation = Organisation(organisation_id, name, commune)
            if n < accounts:
                organisation.user_name = f"Đại diện {name}"
                organisation.user_id = self.user(f"producer.{n + 1}", "producer", organisation.user_name,
                                                 organisation_id=organisation_id)
            self.world.organisations.append(organisation)
