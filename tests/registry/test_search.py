"""Searching the registry: by name (any case, with or without diacritics), product set, unit, star and validity."""
from __future__ import annotations

import re
from datetime import date

import pytest

from ..factories import dossier_in_state
from .builders import SOON, certify, code_of

CHEESE, TURMERIC = 7, 11  # two product sets without a VietGAP stage (11 is the factories' TEA)


@pytest.fixture()
def catalogue(app, world):
    """Four certified products in the communes of two former districts, two product sets and two stars."""
    app.config["TODAY"] = SOON
    return {
        "tea": certify(world, "Chè Shan tuyết Đồng Văn", set_number=TURMERIC),
        "banana": certify(world, "Chuối sấy dẻo", set_number=CHEESE, star=4),
        "starch": certify(world, "Tinh bột nghệ Nhưng Vần", set_number=CHEESE, producer="other_producer"),
        "honey": certify(world, "Mật ong hoa nhãn", set_number=TURMERIC, producer="other_producer", star=4),
    }


def listed(client, **args) -> list[str]:
    """The certificate codes the registry page lists for these query arguments."""
    response = client.get("/registry", query_string=args)
    assert response.status_code == 200
    return re.findall(r'data-code="([^"]+)"', response.get_data(as_text=True))


def codes(catalogue, *names) -> list[str]:
    return sorted(code_of(catalogue[name]) for name in names)


def test_search_without_filters_lists_every_valid_certificate_by_name(client, catalogue):
    assert listed(client) == [code_of(catalogue[n]) for n in ("tea", "banana", "honey", "starch")]


@pytest.mark.parametrize("query", ["Chè Shan", "chè shan", "CHE SHAN", "che  shan", "dong van", "Đồng văn"])
def test_search_by_name_ignores_case_and_diacritics(client, catalogue, query):
    assert listed(client, q=query) == codes(catalogue, "tea")


def test_search_by_name_matches_the_producer_too(client, catalogue):
    assert sorted(listed(client, q="nhung van")) == codes(catalogue, "starch", "honey")


def test_search_by_a_word_nobody_uses_finds_nothing(client, catalogue):
    assert listed(client, q="cà phê") == []


def test_search_by_star_narrows_to_that_star(client, catalogue):
    assert sorted(listed(client, star=4)) == codes(catalogue, "banana", "honey")


def test_search_by_product_set_narrows_to_that_set(client, catalogue):
    product_set_id = catalogue["banana"].product.product_set_id
    assert sorted(listed(client, product_set=product_set_id)) == codes(catalogue, "banana", "starch")


def test_search_by_unit_includes_the_units_below(client, world, catalogue):
    assert sorted(listed(client, unit=world.district.id)) == codes(catalogue, "tea", "banana")
    assert sorted(listed(client, unit=world.other_district.id)) == codes(catalogue, "starch", "honey")
    assert len(listed(client, unit=world.province.id)) == 4


def test_search_filters_combine(client, world, catalogue):
    assert listed(client, unit=world.other_district.id, star=4, q="mat ong") == codes(catalogue, "honey")


def test_search_lists_only_valid_certificates_unless_asked(app, client, world, catalogue):
    revoked = dossier_in_state(world, "revoked")
    assert code_of(revoked) not in listed(client)
    assert code_of(revoked) in listed(client, validity="all")
    app.config["TODAY"] = date(2029, 3, 2)  # the last valid day of every certificate (signed 02/03/2026)
    assert len(listed(client)) == 4
    app.config["TODAY"] = date(2029, 3, 3)  # the day after: every one has expired
    assert listed(client) == []
    assert len(listed(client, validity="all")) == 5


def test_search_pages_through_the_results(app, client, catalogue):
    app.config["REGISTRY_PER_PAGE"] = 3
    first, second = listed(client), listed(client, page=2)
    assert len(first) == 3 and len(second) == 1 and not set(first) & set(second)
    assert listed(client, page=99) == second  # past the end: the last page


def test_search_with_a_certificate_code_opens_its_page(client, catalogue):
    code = code_of(catalogue["honey"])
    response = client.get("/registry", query_string={"q": f" {code.lower()} "})
    assert response.status_code == 302 and response.location.endswith(f"/registry/{code}")


def test_search_with_an_unknown_filter_value_shows_everything_valid(client, catalogue):
    assert len(listed(client, star=9, unit="x")) == 4
