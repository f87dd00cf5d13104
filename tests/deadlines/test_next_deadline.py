"""The next deadline a dossier shows: first-level check in working days, certificate expiry a month ahead."""
from __future__ import annotations

from datetime import date, timedelta

from ocop_tracker.deadlines.queries import next_deadline

from ..factories import DAY0, dossier_in_state, expiry_day


def test_first_level_check_counts_working_days_after_receipt(world):
    dossier = dossier_in_state(world, "district_review")  # received Monday 2 March 2026
    deadline = next_deadline(dossier, DAY0)
    assert (deadline.kind, deadline.due_on, deadline.status) == ("first_level_check", date(2026, 3, 23), "on_time")
    assert next_deadline(dossier, date(2026, 3, 19)).status == "due_soon"
    assert next_deadline(dossier, date(2026, 3, 24)).status == "overdue"


def test_certificate_expiry_is_due_soon_a_month_ahead(world):
    dossier = dossier_in_state(world, "certified")
    expires = expiry_day(dossier)
    assert next_deadline(dossier, expires - timedelta(days=100)).status == "on_time"
    assert next_deadline(dossier, expires - timedelta(days=25)).status == "due_soon"
    assert next_deadline(dossier, expires - timedelta(days=25)).kind == "certificate_expiry"
