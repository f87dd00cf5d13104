"""The administrator's overview reads the dashboard's kept figures (reports/snapshots.py), says when they were taken,
and the preview keeps them for the next reader (issue 13: no count of every dossier per preview)."""
from __future__ import annotations

from datetime import date

from flask_babel import force_locale
from sqlalchemy import text

from ocop_tracker.extensions import db
from ocop_tracker.i18n import moment
from ocop_tracker.reports.queries import ReportFilters
from ocop_tracker.reports.snapshots import dashboard_snapshot, keep_taken_snapshots
from ocop_tracker.summaries.services import build_summary

from ..factories import dossier_in_state, new_dossier

TODAY = date(2026, 3, 10)
YESTERDAY = date(2026, 3, 9)


def test_admin_overview_is_the_dashboards_kept_figures_and_says_when(world):
    dossier_in_state(world, "certified")
    db.session.commit()
    kept = dashboard_snapshot(world["admin"], ReportFilters(), TODAY)
    keep_taken_snapshots()
    new_dossier(world, name="Chè sau ảnh chụp")  # after the figures were taken: counted at the next taking
    db.session.commit()
    summary = build_summary(world["admin"], TODAY, YESTERDAY)
    by_state = summary.section("by_state")
    assert {line.key: int(line.cells[-1]) for line in by_state.lines} == kept.figures["states"]
    assert sum(kept.figures["states"].values()) < db.session.scalar(text("SELECT count(*) FROM dossiers"))
    with force_locale("vi"):
        assert moment(kept.taken_at) in by_state.heading
    assert {line.key: int(line.cells[-1]) for line in summary.section("by_star").lines} == {
        star: count for star, count in kept.figures["stars"].items() if count}


def test_admin_preview_keeps_the_figures_for_the_next_reader(app, world, login_as):
    app.config["TODAY"] = TODAY
    assert login_as("admin").get("/summaries/me").status_code == 200
    db.session.remove()
    assert db.session.scalar(text("SELECT count(*) FROM dashboard_snapshots WHERE scope LIKE '%|all|%'")) == 1
