"""A certificate's last valid day reads "valid until" while it holds, and "expired" only once it has passed."""
from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

import pytest

from ocop_tracker.extensions import db

from ..factories import dossier_in_state, expiry_day, fire
from .builders import code_of

LAST_VALID_DAY = "02/03/2029"  # decided 02/03/2026 (factories.DAY0)
VALID = "Giấy chứng nhận OCOP có hiệu lực đến hết ngày 02/03/2029"
EXPIRED = "Đã hết hạn, hiệu lực đến hết ngày"


def words(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


@pytest.fixture()
def certified(app, world):
    app.config["TODAY"] = date(2026, 12, 1)
    return dossier_in_state(world, "certified")


def test_a_valid_certificates_deadline_says_valid_until_on_the_dossier_page(world, login_as, certified):
    client = login_as("producer")
    page = words(client.get(f"/dossiers/{certified.id}").get_data(as_text=True))
    assert VALID in page and "Hết hạn giấy chứng nhận OCOP" not in page and EXPIRED not in page


def test_an_english_reader_never_sees_expiry_wording_on_a_valid_certificate(world, login_as, certified):
    world["producer"].locale = "en"
    db.session.commit()
    page = words(login_as("producer").get(f"/dossiers/{certified.id}").get_data(as_text=True))
    assert "certificate expiry" not in page and "Expired" not in page


def test_an_expired_certificate_says_expired_on_the_dossier_page_and_the_registry(app, world, login_as, client):
    dossier = dossier_in_state(world, "expired")
    app.config["TODAY"] = expiry_day(dossier) + timedelta(days=1)
    page = words(login_as("producer").get(f"/dossiers/{dossier.id}").get_data(as_text=True))
    assert f"{EXPIRED} {LAST_VALID_DAY}" in page and "Có hiệu lực đến hết ngày" not in page
    registry = words(client.get(f"/registry/{code_of(dossier)}").get_data(as_text=True))
    assert f"{EXPIRED} {LAST_VALID_DAY}" in registry
    listing = words(client.get("/registry?validity=all").get_data(as_text=True))
    assert f"{EXPIRED} {LAST_VALID_DAY}" in listing


def test_an_overdue_vietgap_certificate_says_expired_and_a_valid_one_valid_until(app, world, login_as):
    dossier = dossier_in_state(world, "vietgap")  # VietGAP valid three years from 02/03/2026
    fire(world, dossier, "verify_vietgap", "officer")
    db.session.commit()
    client = login_as("officer")
    assert "Giấy chứng nhận VietGAP có hiệu lực đến hết ngày" in words(client.get(f"/dossiers/{dossier.id}").get_data(as_text=True))
    app.config["TODAY"] = date(2029, 6, 1)
    page = words(client.get(f"/dossiers/{dossier.id}").get_data(as_text=True))
    assert "Giấy chứng nhận VietGAP đã hết hạn, hiệu lực đến hết ngày" in page
