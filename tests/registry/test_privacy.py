"""Nothing non-public leaks from the registry: no documents, members or marks, history, grounds or hidden contacts."""
from __future__ import annotations

import pytest

from ocop_tracker.admin.services import save_organisation
from ocop_tracker.documents.services import upload_document
from ocop_tracker.extensions import db

from ..factories import PDF, dossier_in_state, new_dossier
from .builders import SOON, code_of, rate

PHONE, EMAIL = "0912 345 678", "lienhe@viba.example"
FILENAME = "bien-ban-noi-bo-2026.pdf"
RETURN_COMMENT = "Thiếu bản sao giấy phép có chứng thực (ghi chú nội bộ)"
MEMBERS = {"chair": "Nguyễn Văn Chấm", "member": "Lê Thị Phiếu", "member3": "Đỗ Minh Điểm"}
MARKS = {"A": 23, "B": 16, "C": 22}  # a total of 61: 3★ (ticked on the sheet: whole points)
SHOWN_MARKS = [f"{mark}{sep}00" for mark in (23, 16, 22, 61) for sep in ".,"]  # as the pages show a mark
PRIVATE = [FILENAME, RETURN_COMMENT, *MEMBERS.values(), *SHOWN_MARKS,
           "Trần Đại Diện", "Số 9 ngõ Bí Mật"]


@pytest.fixture()
def exposed(app, world):
    """A certified dossier full of things that are not for the public."""
    app.config["TODAY"] = SOON
    coop = world["producer"].organisation
    coop.phone, coop.email, coop.representative, coop.address = PHONE, EMAIL, "Trần Đại Diện", "Số 9 ngõ Bí Mật"
    for seat, name in MEMBERS.items():
        world[seat].full_name = name
    dossier = new_dossier(world)
    upload_document(dossier, actor=world["producer"], kind="other", filename=FILENAME, data=PDF)
    return rate(world, dossier, comment=RETURN_COMMENT, marks=MARKS)


def public_texts(client, code: str) -> list[str]:
    """The certificate's page, the search page listing it and its API answer."""
    responses = [client.get(f"/registry/{code}"), client.get("/registry", query_string={"q": "che my tan"}),
                 client.get(f"/api/v1/registry/{code}")]
    assert all(response.status_code == 200 for response in responses)
    assert code in responses[1].get_data(as_text=True)
    return [response.get_data(as_text=True) for response in responses]


def test_registry_shows_no_document_member_mark_comment_or_hidden_contact(client, browser, exposed):
    inside = browser("officer").get(f"/dossiers/{exposed.id}").get_data(as_text=True)
    assert RETURN_COMMENT in inside and MEMBERS["chair"] in inside  # the secrets are there, for the signed-in
    for text in public_texts(client, code_of(exposed)):
        for secret in [*PRIVATE, PHONE, EMAIL]:
            assert secret not in text, secret


def test_registry_shows_phone_and_email_once_the_producer_publishes_them(client, world, exposed):
    world["producer"].organisation.contact_public = True
    db.session.commit()
    page = public_texts(client, code_of(exposed))[0]
    assert PHONE in page and EMAIL in page and 'href="tel:0912345678"' in page
    assert client.get(f"/api/v1/registry/{code_of(exposed)}").get_json()["contact"] == {"phone": PHONE, "email": EMAIL}
    for text in public_texts(client, code_of(exposed)):
        for secret in PRIVATE:
            assert secret not in text, secret


def test_registry_of_a_revoked_certificate_keeps_its_grounds_internal(app, client, world):
    app.config["TODAY"] = SOON
    code = code_of(dossier_in_state(world, "revoked"))
    for text in (client.get(f"/registry/{code}").get_data(as_text=True),
                 client.get(f"/api/v1/registry/{code}").get_data(as_text=True)):
        assert "Vi phạm nhãn" not in text


def test_saving_an_organisation_records_whether_its_contact_is_public(world):
    coop = world["producer"].organisation
    save_organisation(coop, actor=world["admin"], name=coop.name, kind=coop.kind, unit=coop.unit, contact_public=True)
    db.session.commit()
    db.session.refresh(coop)
    assert coop.contact_public is True
    save_organisation(coop, actor=world["admin"], name=coop.name, kind=coop.kind, unit=coop.unit, phone=PHONE)
    db.session.commit()
    db.session.refresh(coop)
    assert coop.contact_public is True and coop.phone == PHONE  # not given: the choice stands
    save_organisation(coop, actor=world["admin"], name=coop.name, kind=coop.kind, unit=coop.unit, contact_public=False)
    db.session.commit()
    db.session.refresh(coop)
    assert coop.contact_public is False

