"""The registry search reads the certificate row alone (issue 13): its copies of the product's names, set and
producer's unit follow every change, and the matches are counted only so far ("more than 1000 products")."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from ocop_tracker.admin.services import save_organisation
from ocop_tracker.extensions import db
from ocop_tracker.products.models import ProductSet
from ocop_tracker.registry.models import Certificate

from ..factories import DAY0, fire, upload_required_documents
from ..migration_data import PRODUCT_ROWS, app_at_revision
from ..statements import statements_run
from .builders import certified_rows, certify, code_of, rate
from .test_search import listed
from .test_search_in_sql import shelf  # noqa: F401  (the fixture: five valid certificates)

BEFORE = "5d1c3a7e9b20"  # the revision before the certificates' copies


def _page(client, **args) -> tuple[str, str, list[str], bool]:
    """The total line, the pager's "page / pages", the codes listed and whether a next page is offered."""
    body = client.get("/registry", query_string=args).get_data(as_text=True)
    total = re.search(r'id="registry-total">([^<]*)<', body).group(1)
    pages = re.search(r'<span class="page-link">([^<]*)</span>', body)
    return total, pages.group(1) if pages else "", re.findall(r'data-code="([^"]+)"', body), "Sau »" in body


def test_the_count_stops_at_the_limit_and_the_pages_still_lead_on(app, client, shelf):  # noqa: F811
    app.config.update(REGISTRY_PER_PAGE=2, REGISTRY_COUNTED_AT_MOST=3)
    every = listed(client, page=1) + listed(client, page=2) + listed(client, page=3)
    assert _page(client) == ("Hơn 3 sản phẩm", "1 / hơn 1", every[:2], True)
    assert _page(client, page=2) == ("Hơn 4 sản phẩm", "2 / hơn 2", every[2:4], True)  # counted through page 2
    assert _page(client, page=3) == ("5 sản phẩm", "3 / 3", every[4:], False)
    assert _page(client, page=9) == ("5 sản phẩm", "3 / 3", every[4:], False)  # past the end: the last page
    app.config["REGISTRY_COUNTED_AT_MOST"] = 5
    assert _page(client) == ("5 sản phẩm", "1 / 3", every[:2], True)
    assert len(set(every)) == 5


def test_the_search_reads_the_certificates_alone(client, world, shelf):  # noqa: F811
    with statements_run(fresh=True) as seen:
        listed(client, q="che xanh", unit=world.province.id, product_set=shelf[1].product.product_set_id, star=3)
    searched = [s for s in seen if "certificates.search_names LIKE" in s]
    assert len(searched) == 2  # the count and the page
    assert not any(re.search(r"\b(JOIN|products|dossiers|organisations)\b", s.split("FROM", 1)[1].split(
        "WHERE", 1)[0]) for s in searched)


def _copies_match() -> bool:
    return db.session.execute(text(
        "SELECT count(*) FROM certificates c JOIN products p ON p.id = c.product_id "
        "JOIN organisations o ON o.id = p.organisation_id JOIN dossiers d ON d.id = c.dossier_id "
        "WHERE c.folded_name <> p.folded_name OR c.search_names <> p.search_names OR d.product_id <> p.id "
        "OR c.product_set_id <> p.product_set_id OR c.unit_id <> o.unit_id")).scalar() == 0


def test_a_certificate_follows_its_product_and_producer(client, world, shelf):  # noqa: F811
    dossier = shelf[0]
    product, organisation = dossier.product, dossier.product.organisation
    product.name = "Trà hoa vàng Ba Chẽ"
    product.product_set = db.session.scalars(db.select(ProductSet).where(
        ProductSet.id != product.product_set_id).limit(1)).one()
    db.session.commit()
    assert _copies_match()
    assert listed(client, q="hoa vang") == [code_of(dossier)]
    assert code_of(dossier) in listed(client, product_set=product.product_set_id)
    save_organisation(organisation, actor=world["admin"], name="Hợp tác xã Suối Nhung", kind=organisation.kind,
                      unit=world.other_commune)
    db.session.commit()
    assert _copies_match()
    moved = {code_of(d) for d in shelf if d.product.organisation is organisation}
    assert set(listed(client, q="suoi nhung", unit=world.other_commune.id)) == moved
    assert not set(listed(client, unit=world.commune.id)) & moved


def test_all_lists_the_newest_certificate_of_an_upgraded_product(app, client, world):
    dossier = certify(world, "Chè Shan tuyết Suối Giàng")
    old = code_of(dossier)
    fire(world, dossier, "request_upgrade", "producer", day=DAY0 + timedelta(days=30))
    upload_required_documents(dossier, world["producer"])
    rate(world, dossier, star=4, day=DAY0 + timedelta(days=31))
    new = code_of(dossier)
    assert dict(db.session.execute(db.select(Certificate.code, Certificate.current)).all()) == {
        old: False, new: True}
    assert listed(client, q="suoi giang", validity="all") == [new]


@pytest.mark.parametrize("status", ["valid", "expired"])
def test_the_migration_fills_the_certificates_copies(tmp_path, status):
    app = app_at_revision(tmp_path, BEFORE)
    with app.app_context():
        for statement in PRODUCT_ROWS + [
            ("UPDATE products SET name = 'Chè Shan tuyết', folded_name = 'che shan tuyet', "
             "search_names = 'che shan tuyet htx'"),
        ] + certified_rows("OCOP-P-1", status) + [  # and the dossier's next certificate, from its round 2
            ("INSERT INTO evaluation_rounds (id, dossier_id, number, kind, opened_at) VALUES (2, 1, 2, 'upgrade', "
             "'2027-01-01')"),
            ("INSERT INTO certificates (id, code, dossier_id, round_id, star, issued_on, expires_on, recognised_by, "
             "status) VALUES (2, 'OCOP-P-2', 1, 2, 4, '2027-03-02', '2030-03-02', 'province', 'valid')")]:
            db.session.execute(text(statement))
        db.session.commit()
        upgrade()
        rows = db.session.execute(text("SELECT product_id, folded_name, search_names, product_set_id, unit_id, "
                                       "current FROM certificates ORDER BY id")).all()
        assert [tuple(row) for row in rows] == [(1, "che shan tuyet", "che shan tuyet htx", 1, 1, False),
                                                (1, "che shan tuyet", "che shan tuyet htx", 1, 1, True)]
        db.session.remove()
        db.engine.dispose()
