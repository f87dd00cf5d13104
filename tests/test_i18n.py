"""Translations: every Vietnamese msgid has English, placeholders survive, pages and dates follow the language."""
from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from flask import render_template_string, session

from ocop_tracker.extensions import db
from ocop_tracker.products.models import Product, ProductSet

from .factories import TEA

ROOT = Path(__file__).resolve().parent.parent
EN_PO = ROOT / "ocop_tracker" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
# A named placeholder, an escaped percent, or a lone percent: all must survive translation unchanged.
PERCENT_TOKENS = re.compile(r"%\(\w+\)\w|%%|%")
PRODUCT_NAME = "Chè Shan tuyết Mỹ Tân — ổi, bưởi"


def _read_po(path: Path):
    with path.open("rb") as po:
        return read_po(po)


def _forms(message) -> tuple[str, ...]:
    """A message's id or msgstr forms as a tuple, plural or not."""
    return tuple(message) if isinstance(message, (tuple, list)) else (message,)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The catalogue as the code is now, extracted with the project's babel.cfg (locations kept for messages)."""
    pot = tmp_path_factory.mktemp("i18n") / "messages.pot"
    CommandLineInterface().run(["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"),
                                "-o", str(pot), str(ROOT)])
    return _read_po(pot)


@pytest.fixture(scope="module")
def english():
    return _read_po(EN_PO)


def _translated(message) -> bool:
    return message is not None and not message.fuzzy and all(_forms(message.string))


def _where(message) -> str:
    path, line = message.locations[0]
    return f"{Path(path).relative_to(ROOT)}:{line}"


def test_extraction_reads_lazy_form_labels(extracted):
    """Form labels use _l(): without the babel.cfg keywords they would silently stay Vietnamese."""
    assert any(path.endswith("forms.py") for message in extracted for path, _line in message.locations)


def test_every_msgid_has_an_english_translation(extracted, english):
    missing = [f"{_where(m)}: {m.id!r}" for m in extracted if m.id and not _translated(english.get(m.id))]
    assert not missing, f"{len(missing)} without English; `make translations`, then fill {EN_PO.relative_to(ROOT)}:\n" \
        + "\n".join(missing)


def test_compiled_catalogue_matches_the_po(english, tmp_path):
    fresh = tmp_path / "messages.mo"
    with fresh.open("wb") as mo:
        write_mo(mo, english)
    with fresh.open("rb") as mo, EN_PO.with_suffix(".mo").open("rb") as committed:
        expected, actual = read_mo(mo), read_mo(committed)
    assert {_forms(m.id): _forms(m.string) for m in actual if m.id} == {_forms(m.id): _forms(m.string) for m in expected if m.id}


def test_translations_keep_the_placeholders(english):
    wrong = []
    for message in english:
        wanted = sorted(PERCENT_TOKENS.findall(_forms(message.id)[-1]))
        wrong += [(message.id, text) for text in _forms(message.string)
                  if message.id and text and sorted(PERCENT_TOKENS.findall(text)) != wanted]
    assert not wrong


@pytest.mark.parametrize("locale, sign_in", [("vi", "Đăng nhập"), ("en", "Sign in")])
def test_login_page_in_the_chosen_language(client, locale, sign_in):
    client.post("/language", data={"locale": locale, "next": "/login"})
    body = client.get("/login").get_data(as_text=True)
    assert f'<html lang="{locale}">' in body and re.search(rf"<h1[^>]*>\s*{sign_in}\s*</h1>", body)


def test_english_login_page_has_no_vietnamese_left(client):
    client.post("/language", data={"locale": "en", "next": "/login"})
    body = client.get("/login").get_data(as_text=True).replace("Tiếng Việt", "")
    assert not re.findall(r"[^\x00-\x7f—·«»★]+", body)


@pytest.mark.parametrize("locale, shown", [("vi", "02/03/2026"), ("en", "2 Mar 2026")])
def test_day_filter_follows_the_language(app, locale, shown):
    with app.test_request_context("/"):
        session["locale"] = locale
        assert render_template_string("{{ when|day }}", when=date(2026, 3, 2)) == shown


def test_vietnamese_product_name_round_trips(world, login_as):
    tea = db.session.scalar(db.select(ProductSet).filter_by(number=TEA))
    response = login_as("producer").post("/dossiers/open", data={
        "name": PRODUCT_NAME, "product_set": tea.id, "description": "Búp chè non, sao tay"}, follow_redirects=True)
    stored = db.session.scalar(db.select(Product).filter_by(name=PRODUCT_NAME))
    assert stored is not None and unicodedata.is_normalized("NFC", stored.name)
    assert PRODUCT_NAME in response.get_data(as_text=True)
