"""Templates ask the views' own predicates (`can.<verb>(…)`), never a role or a state: a link shows exactly when
following it works."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import render_template
from flask_login import login_user
from werkzeug.exceptions import NotFound

import ocop_tracker
from ocop_tracker.accounts.models import User
from ocop_tracker.registry.services import current_certificate

from ..factories import dossier_in_state

TEMPLATES = Path(ocop_tracker.__file__).parent / "templates"
# `current_user.role == …`, `role in (…)`, `dossier.state == …`, `d.state in …` and their negations; the state an
# event led to (`record.to_state`) is a fact of the history, not a permission, and is not matched.
LITERAL_CHECK = re.compile(r"\b(?:role|state)\s*(?:==|!=|\bnot\s+in\b|\bin\b)")


def test_no_template_compares_a_role_or_a_state():
    found = [f"{path.relative_to(TEMPLATES)}:{number}: {line.strip()}"
             for path in sorted(TEMPLATES.rglob("*")) if path.is_file()
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if LITERAL_CHECK.search(line)]
    assert not found, "ask a can_* predicate (can.<verb>(…)) instead:\n" + "\n".join(found)


def test_the_scan_finds_the_checks_it_forbids():
    for line in ("{% if current_user.role == 'admin' %}", "{% if current_user.role in ('officer', 'admin') %}",
                 "{% if dossier.state == 'star_rating' %}", "{% set w = d.state in WAITING_FOR %}",
                 "{% if user.role != 'producer' %}", "{% if d.state not in x %}"):
        assert LITERAL_CHECK.search(line), line
    assert not LITERAL_CHECK.search("{% if record.to_state == 'vietgap' %}{{ state_badge(d.state) }}")


def test_an_admin_without_a_unit_is_not_offered_reports_and_is_refused_alike(world, app):
    """The schema now refuses such a row (ck_users_officer_has_unit); the link and the page still ask one predicate,
    so an account the predicate refuses is never shown a link to a 404."""
    admin = User(username="admin_no_unit", role="admin", active=True)  # never saved: the database refuses it
    with app.test_request_context("/"):
        login_user(admin)
        page = render_template("base.html")
        assert "Thống kê" not in page and 'id="nav-reports"' not in page
        with pytest.raises(NotFound):
            app.view_functions["reports.dashboard"]()


@pytest.mark.parametrize("who", ["producer", "other_producer", "officer", "district_officer", "province_officer",
                                 "admin", "chair", "district_member"])
def test_the_reports_link_shows_exactly_when_the_page_opens(world, login_as, who):
    client = login_as(who)
    linked = 'id="nav-reports"' in client.get("/").get_data(as_text=True)
    assert linked is (client.get("/reports").status_code == 200), who
    assert linked is (who in ("officer", "district_officer", "province_officer", "admin")), who


def test_a_commune_officer_is_not_linked_to_a_provincial_decision_they_cannot_open(world, login_as):
    """The certificate's decision is linked only for those its page lets in (it used to hide it from council
    members only, and the commune officer followed the link to a 404)."""
    dossier = dossier_in_state(world, "certified")
    decision_id = current_certificate(dossier).decision_id
    for who, linked in (("officer", False), ("province_officer", True), ("producer", True), ("chair", False)):
        client = login_as(who)
        page = client.get(f"/dossiers/{dossier.id}").get_data(as_text=True)
        link = re.search(r'href="(/decisions/\d+)"', page)
        assert bool(link) is linked, who
        assert client.get(f"/decisions/{decision_id}").status_code == (200 if linked else 404), who
