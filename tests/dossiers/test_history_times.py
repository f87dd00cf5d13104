"""History times are stored in UTC and shown in Vietnam's time, on SQLite as on PostgreSQL."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from ocop_tracker.clock import VIETNAM
from ocop_tracker.extensions import db

from ..factories import new_dossier


def test_history_time_on_the_page_is_vietnam_time(app, world, login_as):
    app.config["TODAY"] = None
    dossier = new_dossier(world)
    db.session.commit()
    client = login_as("producer")
    before = datetime.now(UTC)
    client.post(f"/dossiers/{dossier.id}/events/submit", data={"submit-version": dossier.version, "declared": "y"})
    db.session.expire_all()
    stored = dossier.history[-1].at
    stored = stored if stored.tzinfo else stored.replace(tzinfo=UTC)
    assert abs(stored - before) < timedelta(minutes=1)
    shown = stored.astimezone(VIETNAM).strftime("%H:%M %d/%m/%Y")
    assert shown in client.get(f"/dossiers/{dossier.id}").get_data(as_text=True)
