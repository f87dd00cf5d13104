"""Certificate codes: QĐ 26/2026 Phụ lục II's (T)-(X)-(STT)-year for rounds on the official sheets, the older
form for district-era rounds, and the registry finding both."""
from __future__ import annotations

from datetime import date

import pytest

from ocop_tracker.dossiers.models import Dossier
from ocop_tracker.extensions import db
from ocop_tracker.registry.models import Certificate, ProductNumber
from ocop_tracker.registry.services import current_certificate

from ..factories import (
    DISTRICT_ERA_DAY,
    decide,
    dossier_in_state,
    fire,
    new_dossier,
    score_all,
)
from .builders import certify, code_of, rate

QD26_DAY = date(2026, 6, 1)  # filed and signed under qd26-2026-commune
# The test map's codes: province P, communes P-D1-C1 (the producer's) and P-D2-C1 (the other producer's).
FIRST = "P-P-D1-C1-{n}-{year}"


def certified_on(world, name: str) -> Dossier:
    """A new product of the producer (commune P-D1-C1), certified 3★ by a decision signed on QD26_DAY."""
    return rate(world, new_dossier(world, name=name), day=QD26_DAY)


def upgraded(world, dossier: Dossier, signed_on: date) -> Certificate:
    fire(world, dossier, "request_upgrade", "producer", day=QD26_DAY)
    rate(world, dossier, star=4, day=QD26_DAY, signed_on=signed_on)
    return current_certificate(dossier)


def test_a_certificate_under_qd26_takes_the_annex_code(world):
    dossier = certified_on(world, "Chè Mỹ Tân")
    assert dossier.rule_set == "qd26-2026-commune"
    assert code_of(dossier) == FIRST.format(n=1, year=2026)


def test_the_product_keeps_its_number_and_the_year_is_the_signing_year(world):
    dossier = certified_on(world, "Chè Mỹ Tân")
    assert upgraded(world, dossier, signed_on=date(2027, 1, 15)).code == FIRST.format(n=1, year=2027)
    assert db.session.scalar(db.select(db.func.count(ProductNumber.id))) == 1


def test_a_second_certificate_in_the_same_year_stays_unique(world):
    dossier = certified_on(world, "Chè Mỹ Tân")
    first = current_certificate(dossier)
    second = upgraded(world, dossier, signed_on=date(2026, 11, 2))
    assert (first.code, second.code) == (FIRST.format(n=1, year=2026), FIRST.format(n=1, year=2026) + "-2")
    assert (first.status, second.status) == ("superseded", "valid")


def test_numbers_run_per_commune(world):
    tea, honey = certified_on(world, "Chè Mỹ Tân"), certified_on(world, "Mật ong Cao Dương")
    other = certify(world, "Chè Shan tuyết", producer="other_producer")  # signed DAY0: qd1489, sheets too
    assert (code_of(tea), code_of(honey)) == (FIRST.format(n=1, year=2026), FIRST.format(n=2, year=2026))
    assert other.rule_set == "qd1489-2025-commune" and code_of(other) == "P-P-D2-C1-1-2026"


def test_a_producer_above_any_commune_is_numbered_in_its_units_list(world):
    dossier = dossier_in_state(world, "awaiting_decision", day=QD26_DAY)
    dossier.product.organisation.unit = world.province  # a province's enterprise: no commune keeps its list
    decide(world, dossier, day=QD26_DAY)
    assert code_of(dossier) == "P-P-1-2026"


def test_a_district_era_certificate_keeps_the_older_form(world):
    dossier = new_dossier(world)
    fire(world, dossier, "submit", "producer", day=DISTRICT_ERA_DAY)
    fire(world, dossier, "forward", "district_officer", day=DISTRICT_ERA_DAY)
    score_all(world, dossier, prefix="district_")
    fire(world, dossier, "close_rating", "district_chair", day=DISTRICT_ERA_DAY)
    decide(world, dossier, who="district_officer", day=DISTRICT_ERA_DAY)
    assert dossier.rule_set == "qd148-2023-district"
    assert code_of(dossier) == f"OCOP-P-2024-{dossier.id:05d}-R1"
    assert db.session.scalar(db.select(ProductNumber.id)) is None


@pytest.mark.parametrize("typed", [str.upper, str.lower])
def test_the_registry_finds_the_annex_code_in_any_case(app, client, world, typed):
    code = code_of(certified_on(world, "Chè Mỹ Tân"))
    app.config["TODAY"] = QD26_DAY
    page = client.get(f"/registry/{typed(code)}")
    assert page.status_code == (200 if typed(code) == code else 301)
    search = client.get("/registry", query_string={"q": f" {typed(code)} "})
    assert search.status_code == 302 and search.location.endswith(f"/registry/{code}")
    assert client.get(f"/api/v1/registry/{typed(code)}").get_json()["code"] == code
    qr = client.get(f"/registry/{typed(code)}/qr.svg")
    assert qr.status_code == 200 and f"/registry/{code}".encode() in qr.data


def test_the_dossier_page_shows_the_annex_code(world, login_as):
    dossier = certified_on(world, "Chè Mỹ Tân")
    page = login_as("producer").get(f"/dossiers/{dossier.id}")
    assert FIRST.format(n=1, year=2026) in page.get_data(as_text=True)

