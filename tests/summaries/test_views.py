"""The preview pages: one's own summary as it would be mailed; any user's for administrators, a 404 for others."""
from __future__ import annotations

from datetime import date

from ocop_tracker.summaries.services import summary_for
from ocop_tracker.summaries.views import MAIL_POLICY

from ..factories import fire, new_dossier

TODAY = date(2026, 3, 10)


def test_own_summary_page_shows_subject_text_and_the_html_in_a_sandbox(app, world, login_as):
    app.config["TODAY"] = TODAY
    dossier = new_dossier(world, name="Chè Shan tuyết")
    fire(world, dossier, "submit", "producer", day=date(2026, 3, 9))
    client = login_as("officer")
    page = client.get("/summaries/me").get_data(as_text=True)
    expected = summary_for(world["officer"], TODAY)
    assert expected.subject in page and "Chè Shan tuyết" in page
    assert '<iframe class="preview-frame mb-4" sandbox src="/summaries/me/html?period=daily"' in page
    framed = client.get("/summaries/me/html")
    assert framed.headers["Content-Security-Policy"] == MAIL_POLICY
    assert framed.get_data(as_text=True) == expected.html


def test_weekly_preview_is_the_weekly_summary(app, world, login_as):
    app.config["TODAY"] = TODAY
    page = login_as("producer").get("/summaries/me?period=weekly").get_data(as_text=True)
    assert "Tóm tắt tuần 02/03/2026–08/03/2026" in page  # Tuesday: last week, not up to today


def test_admin_previews_any_users_summary(app, world, login_as):
    app.config["TODAY"] = TODAY
    officer = world["officer"]
    client = login_as("admin")
    page = client.get(f"/admin/summaries/{officer.id}").get_data(as_text=True)
    assert summary_for(officer, TODAY).subject in page and officer.email in page
    assert client.get(f"/admin/summaries/{officer.id}/html").get_data(as_text=True) == summary_for(officer, TODAY).html
    assert client.get("/admin/summaries/99999").status_code == 404


def test_others_cannot_preview_someone_elses_summary(world, login_as):
    client = login_as("officer")
    for path in (f"/admin/summaries/{world['producer'].id}", f"/admin/summaries/{world['producer'].id}/html"):
        assert client.get(path).status_code == 404
