"""Organisations (the producers) are created and edited by administrators."""
from __future__ import annotations

import re

from ocop_tracker.accounts.models import Organisation
from ocop_tracker.extensions import db


def organisation_form(unit, **values) -> dict:
    return {"name": "HTX Mật ong Cao Phong", "kind": "cooperative", "unit": unit.id, "representative": "Bùi Văn An",
            "address": "", "phone": "0912 345 678", "email": ""} | values


def organisation_named(name: str) -> Organisation | None:
    db.session.expire_all()
    return db.session.scalar(db.select(Organisation).filter_by(name=name))


def test_admin_creates_and_edits_an_organisation(world, login_as):
    client = login_as("admin")
    assert client.post("/admin/organisations/new", data=organisation_form(world.district)).status_code == 302
    created = organisation_named("HTX Mật ong Cao Phong")
    assert (created.kind, created.unit_id, created.phone, created.address) == (
        "cooperative", world.district.id, "0912 345 678", None)
    client.post(f"/admin/organisations/{created.id}", data=organisation_form(world.other_district, kind="enterprise"))
    edited = organisation_named("HTX Mật ong Cao Phong")
    assert (edited.kind, edited.unit_id) == ("enterprise", world.other_district.id)


def test_organisation_with_unknown_kind_refused(world, login_as):
    response = login_as("admin").post("/admin/organisations/new", data=organisation_form(world.district, kind="bank"))
    assert response.status_code == 422 and organisation_named("HTX Mật ong Cao Phong") is None


def test_organisation_list_searches_by_name(world, login_as):
    body = login_as("admin").get("/admin/organisations?q=viba").get_data(as_text=True)
    assert "HTX Chuối Viba" in body and "Công ty Nhưng Vần" not in body


def test_admin_publishes_contact_details_and_the_edit_form_shows_it(world, login_as):
    client = login_as("admin")
    organisation_id = world["producer"].organisation_id
    form = organisation_form(world.district, name="HTX Chuối Viba", contact_public="y")
    assert client.post(f"/admin/organisations/{organisation_id}", data=form).status_code == 302
    assert organisation_named("HTX Chuối Viba").contact_public is True
    page = client.get(f"/admin/organisations/{organisation_id}").get_data(as_text=True)
    assert re.search(r'<input[^>]*\bchecked\b[^>]*id="contact_public"', page)
    form.pop("contact_public")
    client.post(f"/admin/organisations/{organisation_id}", data=form)
    assert organisation_named("HTX Chuối Viba").contact_public is False
