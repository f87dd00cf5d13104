"""A re-rating prepared outside its filing window: no filing button, the day it opens said instead, and a refusal
(from an old page or the API) that names the days."""
from __future__ import annotations

from datetime import timedelta

import pytest

from ocop_tracker.extensions import db
from ocop_tracker.workflow import GuardFailed

from ..factories import dossier_in_state, expiry_day, fire


@pytest.fixture()
def early(app, world):
    """A re-rating requested 400 days before the certificate's last day: the window opens 180 days before it."""
    dossier = dossier_in_state(world, "certified")
    expires = expiry_day(dossier)
    fire(world, dossier, "request_re_rating", "producer", day=expires - timedelta(days=400))
    db.session.commit()
    app.config["TODAY"] = expires - timedelta(days=400)
    return dossier


def _dates(dossier):
    expires = expiry_day(dossier)
    return (expires - timedelta(days=180)).strftime("%d/%m/%Y"), (expires - timedelta(days=120)).strftime("%d/%m/%Y")


def test_the_filing_button_is_hidden_and_the_opening_day_shown(world, login_as, early):
    opens, closes = _dates(early)
    client = login_as("producer")
    for url in (f"/dossiers/{early.id}/check-answers", f"/dossiers/{early.id}"):
        page = client.get(url).get_data(as_text=True)
        assert f"Có thể đề nghị đánh giá lại từ ngày {opens} đến hết ngày {closes}." in page, url
        assert 'data-event="submit"' not in page, url


def test_inside_the_window_the_button_is_back(app, world, login_as, early):
    app.config["TODAY"] = expiry_day(early) - timedelta(days=150)
    page = login_as("producer").get(f"/dossiers/{early.id}/check-answers").get_data(as_text=True)
    assert 'data-event="submit"' in page and 'id="re-rating-wait"' not in page


def test_a_refused_filing_names_the_day_the_window_opens(world, login_as, early):
    opens, _closes = _dates(early)
    response = login_as("producer").post(f"/dossiers/{early.id}/filing",
                                         data={"version": early.version, "declared": "y"}, follow_redirects=True)
    body = response.get_data(as_text=True)
    assert f"Có thể đề nghị đánh giá lại từ ngày {opens}" in body
    assert "180 đến 120 ngày" not in body  # the window's rule, not its days, was all it said before


def test_past_the_window_the_page_says_it_has_closed(app, world, login_as, early):
    _opens, closes = _dates(early)
    app.config["TODAY"] = expiry_day(early) - timedelta(days=100)
    page = login_as("producer").get(f"/dossiers/{early.id}").get_data(as_text=True)
    assert f"Đã quá thời hạn nộp hồ sơ đánh giá lại (hạn cuối ngày {closes})." in page


def test_the_door_and_the_api_give_the_window_days(world, client, early):
    expires = expiry_day(early)
    with pytest.raises(GuardFailed) as refused:
        fire(world, early, "submit", "producer", day=expires - timedelta(days=400))
    window = {"opens_on": (expires - timedelta(days=180)).isoformat(),
              "closes_on": (expires - timedelta(days=120)).isoformat()}
    assert refused.value.details == {"missing": ["re_rating_window"], "re_rating_window": window}
    assert window["opens_on"] in refused.value.message
    db.session.rollback()
    token = client.post("/api/v1/auth/token", json={"username": "producer", "password": "secret-pass-1"}).json["token"]
    response = client.post(f"/api/v1/dossiers/{early.id}/events/submit", json={"version": early.version},
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 422 and window["opens_on"] in response.json["error"]["message"]
    assert response.json["error"]["details"]["re_rating_window"] == window
