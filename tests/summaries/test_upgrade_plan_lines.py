"""The upgrade plan in the producer's summary: a line under a certified product's row, for the first few only, so
the mail costs the same statements whatever the number of certified products."""
from __future__ import annotations

from datetime import date

from ocop_tracker.extensions import db
from ocop_tracker.summaries import plans
from ocop_tracker.summaries.services import build_summary

from ..factories import decide
from ..reviews.sheet_pages import rated, sheet_of, three_stars
from ..reviews.test_permissions import unscored_dossier
from .test_statements import _statements

TODAY = date(2026, 3, 10)
YESTERDAY = date(2026, 3, 9)


def _certified_three_stars(world, count: int = 1):
    for _ in range(count):
        dossier = unscored_dossier(world)
        rated(world, dossier, three_stars(sheet_of(dossier)))
        decide(world, dossier)
    db.session.commit()


def test_the_producer_reads_the_plan_under_the_product(world):
    _certified_three_stars(world)
    summary = build_summary(world["producer"], TODAY, YESTERDAY)
    assert "Lên 4 sao: cần thêm" in summary.text and "yêu cầu tối thiểu chưa đạt (tiêu chí" in summary.text
    assert "Tăng nhiều điểm nhất:" in summary.text and "Lên 4 sao" in summary.html


def test_other_producers_do_not_read_it(world):
    _certified_three_stars(world)
    assert "Lên 4 sao" not in build_summary(world["other_producer"], TODAY, YESTERDAY).text


def test_only_the_first_few_plans_cost_statements(world):
    _certified_three_stars(world, plans.PLAN_LIMIT)
    few = _statements(world, "producer")
    _certified_three_stars(world, 2)
    assert _statements(world, "producer") == few
    text = build_summary(world["producer"], TODAY, YESTERDAY).text
    assert text.count("Lên 4 sao") == plans.PLAN_LIMIT
