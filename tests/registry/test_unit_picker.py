"""The registry's place filter: provinces in one select, then the units of the chosen province in a second one
(sent with the form, no JavaScript), never every unit of the country; old `unit=` addresses keep working."""
from __future__ import annotations

import re

import pytest

from ocop_tracker.accounts.models import AdministrativeUnit
from ocop_tracker.extensions import db

from .test_search import catalogue, codes, listed  # noqa: F401  (the fixture is used by name)


@pytest.fixture()
def other_province(world):
    """A second province with a commune: its units must not be offered while Phú Thọ is chosen."""
    province = AdministrativeUnit(code="Q", name="Quảng Trị", level="province")
    db.session.add(province)
    db.session.flush()
    province.path = f"/{province.id}/"
    commune = AdministrativeUnit(code="Q-C1", name="Xã Hướng Phùng", level="commune", parent=province)
    db.session.add(commune)
    db.session.flush()
    commune.path = f"{province.path}{commune.id}/"
    db.session.commit()
    return province


def _options(page: str, name: str) -> dict[str, str]:
    """value → label of the select `name`, and which one is selected under the key 'selected'."""
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.DOTALL).group(1)
    options = dict(re.findall(r'<option[^>]*value="([^"]*)"[^>]*>([^<]*)</option>', select))
    chosen = re.search(r'<option[^>]*selected[^>]*value="([^"]*)"|<option[^>]*value="([^"]*)"[^>]*selected', select)
    options["selected"] = next((v for v in chosen.groups() if v), "") if chosen else ""
    return options


def _page(client, **args) -> str:
    response = client.get("/registry", query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_without_a_province_only_provinces_are_offered(client, world, other_province):
    page = _page(client)
    assert set(_options(page, "province")) - {"selected"} == {"0", str(world.province.id), str(other_province.id)}
    assert set(_options(page, "unit")) - {"selected"} == {"0"}


def test_a_chosen_province_offers_its_own_units_only(client, world, other_province):
    units = _options(_page(client, province=world.province.id), "unit")
    assert set(units) - {"selected"} == {"0", *(str(u.id) for u in (
        world.district, world.other_district, world.commune, world.other_commune))}
    assert "Xã Hướng Phùng" not in units.values()


def test_an_old_unit_address_filters_and_chooses_its_province(client, world, catalogue):  # noqa: F811
    page = _page(client, unit=world.other_district.id)
    assert _options(page, "province")["selected"] == str(world.province.id)
    assert _options(page, "unit")["selected"] == str(world.other_district.id)
    assert sorted(listed(client, unit=world.other_district.id)) == codes(catalogue, "starch", "honey")


def test_a_province_filters_by_every_unit_in_it(client, world, catalogue, other_province):  # noqa: F811
    assert len(listed(client, province=world.province.id)) == 4
    assert listed(client, province=other_province.id) == []


def test_changing_the_province_drops_a_unit_of_the_old_one(client, world, catalogue, other_province):  # noqa: F811
    page = _page(client, province=other_province.id, unit=world.district.id)
    assert _options(page, "unit")["selected"] in ("", "0")
    assert listed(client, province=other_province.id, unit=world.district.id) == []
