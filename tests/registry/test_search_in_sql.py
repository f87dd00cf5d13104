"""The registry search runs in SQL on stored folded names (issue 13): the same matches and order as folding every
name in Python did, a constant number of statements as certificates grow, codes stored upper-case."""
from __future__ import annotations

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from ocop_tracker.admin.services import save_organisation
from ocop_tracker.extensions import db
from ocop_tracker.products.models import Product, ProductSet
from ocop_tracker.registry.models import Certificate
from ocop_tracker.text_rules import folded

from ..migration_data import PRODUCT_ROWS, app_at_revision
from ..statements import statements_run
from .builders import SOON, certified_rows, certify, code_of
from .test_search import CHEESE, TURMERIC, listed

BEFORE = "7c4d1e9a2b60"  # the revision before the folded names and upper-case codes


@pytest.fixture()
def shelf(app, world):
    """Names whose byte order and a locale's order differ ("che xanh" before "chea": a space sorts first)."""
    app.config["TODAY"] = SOON
    return [certify(world, name, set_number=number, producer=producer) for name, number, producer in (
        ("Chea Đà Bắc", CHEESE, "producer"), ("Chè xanh", TURMERIC, "other_producer"),
        ("Ớt chỉ thiên", CHEESE, "producer"), ("Ăn liền miến dong", TURMERIC, "producer"),
        ("chè xanh", CHEESE, "other_producer"))]


def _python_order(dossiers) -> list[str]:
    """The order the search had when it folded and sorted every name in Python: folded name, then certificate."""
    return [code for _name, _id, code in sorted(
        (folded(d.product.name), _certificate(d).id, code_of(d)) for d in dossiers)]


def _certificate(dossier) -> Certificate:
    return db.session.scalars(db.select(Certificate).filter_by(code=code_of(dossier))).one()


def test_results_keep_the_order_of_folded_names_compared_as_python_compares(client, shelf):
    assert listed(client) == _python_order(shelf)
    assert listed(client, q="CHE XANH") == _python_order([shelf[1], shelf[4]])


@pytest.mark.parametrize("query", ["%", "_", "che%", "c_e", "ch\x00e"])
def test_like_wildcards_typed_in_the_search_match_only_themselves(client, shelf, query):
    assert listed(client, q=query) == []


def test_a_renamed_producer_is_found_by_its_new_name(client, world, shelf):
    organisation = shelf[0].product.organisation
    save_organisation(organisation, actor=world["admin"], name="Hợp tác xã Suối Nhung", kind=organisation.kind,
                      unit=organisation.unit)
    db.session.commit()
    db.session.refresh(shelf[0].product)
    assert shelf[0].product.search_names == "chea da bac hop tac xa suoi nhung"
    assert set(listed(client, q="suoi nhung")) == {code_of(d) for d in shelf if d.product.organisation is organisation}


def test_names_are_folded_whenever_they_are_set(app, world):
    organisation = world["producer"].organisation
    product = Product(name="Đường phèn Quảng Ngãi", description="", organisation=organisation,
                      product_set=db.session.scalars(db.select(ProductSet).limit(1)).one())
    assert product.folded_name == "duong phen quang ngai"
    db.session.add(product)
    db.session.flush()
    assert product.search_names == f"duong phen quang ngai {folded(organisation.name)}"
    product.name = "Mắm tôm"
    db.session.flush()
    assert (product.folded_name, product.search_names) == ("mam tom", f"mam tom {folded(organisation.name)}")


def test_codes_are_stored_upper_case_and_found_in_any_case(client, shelf):
    certificate = _certificate(shelf[0])
    certificate.code = "ocop-hb-2026-test-r1"
    db.session.commit()
    stored = db.session.execute(text("SELECT code FROM certificates WHERE id = :id"), {"id": certificate.id}).scalar()
    assert stored == "OCOP-HB-2026-TEST-R1"
    response = client.get("/registry/Ocop-Hb-2026-Test-R1")
    assert response.status_code == 301 and response.location.endswith("/registry/OCOP-HB-2026-TEST-R1")
    assert client.get("/registry", query_string={"q": "ocop-hb-2026-test-r1"}).status_code == 302


def _statements(client, **args) -> int:
    with statements_run(fresh=True) as seen:
        listed(client, **args)
    return len(seen)


SEARCHES = ({}, {"q": "che"}, {"q": "hop tac"}, {"validity": "all", "page": 2}, {"star": 3, "product_set": 0})


def test_search_statements_do_not_grow_with_certificates(app, client, world, shelf):
    app.config["REGISTRY_PER_PAGE"] = 2  # the small shelf already fills the pages
    small = [_statements(client, **args) for args in SEARCHES]
    for n in range(4):
        certify(world, f"Chè Hợp tác {n}", set_number=TURMERIC, producer=("producer", "other_producer")[n % 2])
    grown = [_statements(client, **args) for args in SEARCHES]
    assert grown == small
    unit = {"unit": world.district.id}
    assert _statements(client, **unit) == _statements(client, unit=world.other_district.id)


def test_the_migration_folds_the_names_and_upper_cases_the_codes(tmp_path):
    app = app_at_revision(tmp_path, BEFORE)
    with app.app_context():
        for statement in PRODUCT_ROWS + [
            "UPDATE products SET name = 'Chè Shan tuyết Đồng Văn'",
            "UPDATE organisations SET name = 'HTX Nông sản Nhưng Vần'",
        ] + certified_rows("ocop-p-2026-00001-r1"):
            db.session.execute(text(statement))
        db.session.commit()
        upgrade()
        row = db.session.execute(text(
            "SELECT p.folded_name, p.search_names, c.code FROM products p JOIN dossiers d ON d.product_id = p.id "
            "JOIN certificates c ON c.dossier_id = d.id")).one()
        assert tuple(row) == ("che shan tuyet dong van", "che shan tuyet dong van htx nong san nhung van",
                              "OCOP-P-2026-00001-R1")
        db.session.remove()
        db.engine.dispose()
