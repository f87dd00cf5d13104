"""A summary costs the same number of statements whatever the number of dossiers behind it (issue 13): each
section reads its first rows and a count, with what the rows show loaded alongside."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event

from ocop_tracker.dossiers.models import Dossier
from ocop_tracker.extensions import db
from ocop_tracker.summaries import lines, producers, services
from ocop_tracker.summaries.services import build_summary

from ..factories import PATHS, dossier_in_state, fire, new_dossier
from ..statements import statements_run

TODAY = date(2026, 3, 10)
YESTERDAY = date(2026, 3, 9)
RECIPIENTS = ("producer", "officer", "province_officer", "chair", "member", "admin")


def _add_world(world) -> None:
    """Some of everything a summary lists: arrivals and returns of yesterday, an overdue check, a rating, a
    certificate."""
    for _ in range(3):
        fire(world, new_dossier(world, name="Chè mới"), "submit", "producer", day=YESTERDAY)
        returned = new_dossier(world, name="Chuối trả lại")
        fire(world, returned, "submit", "producer", day=YESTERDAY)
        fire(world, returned, "return", "officer", day=YESTERDAY, comment="Thiếu giấy phép")
        fire(world, new_dossier(world, name="Gạo muộn"), "submit", "producer", day=date(2026, 1, 26))
        new_dossier(world, documents=False, name="Nháp")
        dossier_in_state(world, "star_rating")  # scored by the whole council: the chair may close it
    dossier_in_state(world, "certified")
    db.session.commit()


def _statements(world, role: str) -> int:
    with statements_run(fresh=True) as seen:
        build_summary(world[role], TODAY, YESTERDAY)
    return len(seen)


@pytest.fixture()
def short_sections(monkeypatch):
    """Two rows per section, so that the small world already fills every section past its limit."""
    for module in (lines, services, producers):
        monkeypatch.setattr(module, "SECTION_LIMIT", 2)


def test_summary_statements_do_not_grow_with_dossiers(app, world, short_sections):
    app.config["DASHBOARD_MAX_AGE"] = 0  # the admin's overview takes the dashboard's figures at each size
    _add_world(world)
    small = {role: _statements(world, role) for role in RECIPIENTS}
    _add_world(world)
    _add_world(world)
    large = {role: _statements(world, role) for role in RECIPIENTS}
    assert large == small
    assert max(small.values()) <= 40, small


def test_the_sections_still_count_every_row(world, short_sections):
    _add_world(world)
    summary = build_summary(world["admin"], TODAY, YESTERDAY)
    overdue = summary.section("overdue")
    assert len(overdue.lines) == 2 and overdue.total == 3
    producer = build_summary(world["producer"], TODAY, YESTERDAY)
    decisions = producer.section("decisions")
    assert len(decisions.lines) == 2 and decisions.total == 3
    chair = build_summary(world["chair"], TODAY, YESTERDAY)
    assert chair.section("to_close").total == 3 and len(chair.section("to_close").lines) == 2


def test_a_council_summary_reads_the_files_it_lists_not_every_rating_one(world, short_sections):
    """Hundreds of files rating at once in a province (issue 13): a member's and a chair's summaries read the
    files they list and those the chair may close, not every file of the council with its rules and marks."""
    for _ in range(5):  # admitted, nobody has scored them yet
        rating = new_dossier(world, name="Chè chờ chấm")
        for step, who, extra in PATHS["star_rating"]:
            fire(world, rating, step, who, day=YESTERDAY, **extra)
    closable = dossier_in_state(world, "star_rating")  # scored by the whole council: the chair may close it
    db.session.commit()
    read: list[int] = []

    def loaded(target, *_args) -> None:
        read.append(target.id)

    event.listen(Dossier, "load", loaded)
    event.listen(Dossier, "refresh", loaded)
    try:
        db.session.expire_all()
        member = build_summary(world["member"], TODAY, YESTERDAY)
        member_read, read[:] = list(read), []
        db.session.expire_all()
        chair = build_summary(world["chair"], TODAY, YESTERDAY)
    finally:
        event.remove(Dossier, "load", loaded)
        event.remove(Dossier, "refresh", loaded)
    assert member.section("to_score").total == 5 and len(member.section("to_score").lines) == 2
    assert len(set(member_read)) == 2, member_read
    assert chair.section("to_close").total == 1 and [line.key for line in chair.section("to_close").lines] == [
        str(closable.id)]
    assert len(set(read)) == 3, read  # two to score, one to close
