"""The profile's mail preference, and English for every sentence of the plain-text mail templates."""
from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from ocop_tracker.accounts.services import AccountError, update_profile
from ocop_tracker.extensions import db

ROOT = Path(__file__).resolve().parents[2]
EN_PO = ROOT / "ocop_tracker" / "translations" / "en" / "LC_MESSAGES" / "messages.po"


def test_profile_service_stores_the_mail_preference(world):
    producer = world["producer"]
    update_profile(producer, actor=producer, full_name="Lan", email="lan@htx.vn", locale="vi", mail_preference="summary")
    assert producer.mail_preference == "summary"
    update_profile(producer, actor=producer, full_name="Lan", email="lan@htx.vn", locale="vi")
    assert producer.mail_preference == "summary"  # not given: kept
    with pytest.raises(AccountError):
        update_profile(producer, actor=producer, full_name="Lan", email=None, locale="vi", mail_preference="never")


def test_profile_page_offers_the_mail_preference(world, login_as):
    world["producer"].mail_preference = "summary"
    db.session.commit()
    body = login_as("producer").get("/profile").get_data(as_text=True)
    assert 'name="mail_preference"' in body and '<option selected value="summary">' in body


def test_plain_text_mail_sentences_have_english():
    """babel.cfg extracts only .html templates: each .txt sentence must also be in the catalogue (via its .html twin)."""
    with EN_PO.open("rb") as po:
        english = read_po(po)
    found = extract_from_dir(ROOT / "ocop_tracker" / "templates" / "emails", method_map=[("*.txt", "jinja2")],
                             options_map={"*.txt": {"encoding": "utf-8"}})
    msgids = {message if isinstance(message, str) else message[0] for _file, _line, message, *_ in found}
    assert len(msgids) > 30
    untranslated = [msgid for msgid in msgids if not (english.get(msgid) and english.get(msgid).string)]
    assert not untranslated
