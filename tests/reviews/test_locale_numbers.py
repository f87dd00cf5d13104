"""Scores and dates in the reader's locale: "62,00" on Vietnamese pages, "62.00" on English ones (Babel)."""
from __future__ import annotations

from datetime import date

import pytest

from ocop_tracker.extensions import db

from ..factories import dossier_in_state, fire


@pytest.fixture()
def closed_rating(world):
    """A dossier whose council closed its rating with a mean of 62 (shown with two decimals)."""
    dossier = dossier_in_state(world, "star_rating")
    fire(world, dossier, "close_rating", "chair")
    db.session.commit()
    return dossier


@pytest.mark.parametrize(("language", "shown", "not_shown"), [("vi", "62,00", "62.00"), ("en", "62.00", "62,00")])
def test_the_council_score_follows_the_readers_locale(world, login_as, closed_rating, language, shown, not_shown):
    world["chair"].locale = language
    db.session.commit()
    client = login_as("chair")
    for url in (f"/dossiers/{closed_rating.id}", f"/dossiers/{closed_rating.id}/scores"):
        page = client.get(url).get_data(as_text=True)
        assert shown in page and not_shown not in page, url


def test_member_marks_are_shown_with_the_locales_decimal_comma(world, login_as):
    dossier = dossier_in_state(world, "star_rating")  # marks 25/17/20, 24/17/21, 26/17/19
    page = login_as("chair").get(f"/dossiers/{dossier.id}/scores").get_data(as_text=True)
    table = page[page.index('id="member-scores"'):]
    assert '<td class="text-end">25,00</td>' in table and "25.00" not in table


def test_the_admit_forms_batch_dates_follow_the_readers_locale(app, world, login_as):
    app.config["TODAY"] = date(2026, 6, 10)
    dossier = dossier_in_state(world, "provincial_review", day=date(2026, 6, 1))
    world["province_officer"].locale = "en"
    db.session.commit()
    page = login_as("province_officer").get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    assert "30 Oct 2026" in page and "30/10/2026" not in page
