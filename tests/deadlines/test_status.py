"""A deadline's status follows the clock: on time, due soon (working days, or 30 days for certificates), overdue, met."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from ocop_tracker.deadlines.queries import next_deadline
from ocop_tracker.deadlines.status import deadline_status, due_soon_limits

from ..factories import dossier_in_state, expiry_day


@pytest.mark.parametrize(("today", "status"), [
    (date(2026, 3, 10), "on_time"),
    (date(2026, 3, 17), "on_time"),   # 18, 19, 20 are the next three working days
    (date(2026, 3, 18), "due_soon"),  # 19, 20, 23
    (date(2026, 3, 23), "due_soon"),  # the due day itself
    (date(2026, 3, 24), "overdue"),
])
def test_first_level_status_on_a_pinned_clock(app, world, login_as, today, status):
    dossier = dossier_in_state(world, "district_review")  # due Monday 23/03/2026
    app.config["TODAY"] = today
    page = login_as("officer").get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    assert f'data-deadline="{status}"' in page  # the badge beside the state
    assert f'data-deadline-status="{status}"' in page  # the deadlines list


def test_due_soon_counts_working_days_across_tet(app):
    # Thursday 12/02: the next three working days are Fri 13/02, Mon 23/02 and Tue 24/02 (Tết in between).
    assert deadline_status("first_level_check", date(2026, 2, 23), None, date(2026, 2, 12)) == "due_soon"
    assert deadline_status("first_level_check", date(2026, 2, 24), None, date(2026, 2, 12)) == "due_soon"
    assert deadline_status("first_level_check", date(2026, 2, 25), None, date(2026, 2, 12)) == "on_time"


def test_due_soon_window_is_configurable(app):
    app.config["DEADLINE_DUE_SOON_WORKING_DAYS"] = 1
    assert deadline_status("decision", date(2026, 2, 23), None, date(2026, 2, 12)) == "on_time"
    assert due_soon_limits(date(2026, 2, 12)).working_until == date(2026, 2, 13)


def test_certificate_kinds_are_due_soon_thirty_days_ahead(app):
    today = date(2026, 6, 1)
    for kind in ("certificate_expiry", "re_rating_filing", "vietgap_expiry"):
        assert deadline_status(kind, today + timedelta(days=30), None, today) == "due_soon"
        assert deadline_status(kind, today + timedelta(days=31), None, today) == "on_time"
    assert deadline_status("first_level_check", today + timedelta(days=30), None, today) == "on_time"


def test_met_and_missing_calendar_statuses(app):
    assert deadline_status("decision", date(2026, 1, 5), date(2026, 1, 9), date(2026, 3, 1)) == "met"
    assert deadline_status("first_level_check", None, None, date(2026, 12, 28)) == "unknown"


def test_warning_window_reaches_into_a_year_not_yet_in_the_calendar(app):
    # 30/12/2026 + 3 working days: 31/12, then 2027's weekdays 01/01 and 04/01 (its holidays are not known yet).
    assert due_soon_limits(date(2026, 12, 30)).working_until == date(2027, 1, 4)
    assert deadline_status("decision", date(2027, 1, 4), None, date(2026, 12, 30)) == "due_soon"


def test_next_deadline_skips_a_closed_re_rating_window(world):
    dossier = dossier_in_state(world, "certified")
    expires = expiry_day(dossier)
    filing = next_deadline(dossier, expires - timedelta(days=200))
    assert (filing.kind, filing.due_on, filing.status) == ("re_rating_filing", expires - timedelta(days=120), "on_time")
    assert next_deadline(dossier, expires - timedelta(days=100)).kind == "certificate_expiry"
    assert next_deadline(dossier, expires - timedelta(days=25)).status == "due_soon"
