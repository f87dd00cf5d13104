"""Administrative units: a tree whose paths stay right when units are created or moved."""
from __future__ import annotations

from ocop_tracker.accounts.models import AdministrativeUnit
from ocop_tracker.extensions import db


def unit_coded(code: str) -> AdministrativeUnit | None:
    db.session.expire_all()
    return db.session.scalar(db.select(AdministrativeUnit).filter_by(code=code))


def unit_form(parent, **values) -> dict:
    return {"code": "P-D1-C2", "name": "Cư Yên", "level": "commune", "parent": parent.id if parent else 0,
            "name_after_2025": "", "abolished_on": ""} | values


def test_create_unit_under_parent_sets_path(world, login_as):
    response = login_as("admin").post("/admin/units/new", data=unit_form(world.district))
    assert response.status_code == 302
    created = unit_coded("P-D1-C2")
    assert created.parent_id == world.district.id
    assert created.path == f"/{world.province.id}/{world.district.id}/{created.id}/"
    assert world.province.contains(created) and not world.other_district.contains(created)


def test_moving_a_unit_carries_its_subtree(world, login_as):
    client = login_as("admin")
    client.post("/admin/units/new", data=unit_form(None, code="P2", name="Phú Thọ", level="province"))
    new_province = unit_coded("P2")
    response = client.post(f"/admin/units/{world.district.id}", data=unit_form(
        new_province, code="P-D1", name="Lương Sơn", level="district", abolished_on="2025-07-01"))
    assert response.status_code == 302
    district, commune = unit_coded("P-D1"), unit_coded("P-D1-C1")
    assert district.path == f"/{new_province.id}/{district.id}/" and str(district.abolished_on) == "2025-07-01"
    assert commune.path == f"/{new_province.id}/{district.id}/{commune.id}/"
    assert not world.province.contains(commune)


def test_unit_cannot_be_its_own_ancestor(world, login_as):
    commune = unit_coded("P-D1-C1")
    response = login_as("admin").post(f"/admin/units/{world.district.id}",
                                      data=unit_form(commune, code="P-D1", name="Lương Sơn", level="district"))
    assert response.status_code == 422
    assert "Một đơn vị không thể nằm dưới chính nó" in response.get_data(as_text=True)
    district = unit_coded("P-D1")
    assert district.parent_id == world.province.id and district.path == f"/{world.province.id}/{district.id}/"


def test_parent_must_be_of_a_higher_tier(world, login_as):
    response = login_as("admin").post("/admin/units/new", data=unit_form(world.district, level="district"))
    assert "Đơn vị cấp trên phải thuộc cấp hành chính cao hơn." in response.get_data(as_text=True)
    assert unit_coded("P-D1-C2") is None


def test_duplicate_unit_code_refused(world, login_as):
    response = login_as("admin").post("/admin/units/new", data=unit_form(world.district, code="P-D1-C1"))
    assert "Mã đơn vị P-D1-C1 đã được dùng." in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(AdministrativeUnit)) == 5


def test_units_list_shows_each_subtree_under_its_root(world, login_as):
    body = login_as("admin").get("/admin/units").get_data(as_text=True)
    order = [body.index(f'data-unit="{code}"') for code in ("P", "P-D1", "P-D1-C1", "P-D2", "P-D2-C1")]
    assert order == sorted(order)
