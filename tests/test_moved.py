"""Web addresses renamed so that one act has one word (issue 12): the old ones still work, by a 308 redirect."""
from __future__ import annotations

import pytest

from ocop_tracker.dossiers.models import Dossier
from ocop_tracker.extensions import db
from ocop_tracker.moved import MOVED
from ocop_tracker.products.models import ProductSet

from .factories import TEA

NEW_PATHS = {"/dossiers/new": "/dossiers/open", "/decisions/new": "/decisions/record", "/batches/new": "/batches/open"}


def test_every_moved_address_names_its_new_one():
    assert set(MOVED) == set(NEW_PATHS)


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("old", sorted(NEW_PATHS))
def test_old_address_answers_308_with_the_new_one_and_its_query(world, login_as, old, method):
    response = login_as("province_officer").open(f"{old}?pick=1", method=method)
    assert response.status_code == 308
    assert response.location == f"{NEW_PATHS[old]}?pick=1"


def test_old_address_without_a_query_keeps_none(world, login_as):
    assert login_as("producer").get("/dossiers/new").location == "/dossiers/open"


def test_a_form_posted_to_the_old_address_opens_the_dossier(world, login_as):
    """308 keeps the method and the body: an old form or script still opens the dossier."""
    tea = db.session.scalar(db.select(ProductSet.id).filter_by(number=TEA))
    response = login_as("producer").post("/dossiers/new", data={"name": "Chè cũ", "product_set": tea},
                                         follow_redirects=True)
    assert response.status_code == 200
    dossier = db.session.scalar(db.select(Dossier).order_by(Dossier.id.desc()))
    assert dossier.product.name == "Chè cũ" and dossier.state == "draft"


def test_anonymous_callers_of_an_old_address_are_sent_to_sign_in(client):
    response = client.get("/dossiers/new")
    assert response.status_code == 302 and response.location.startswith("/login")
