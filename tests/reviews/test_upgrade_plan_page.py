"""The upgrade plan on the dossier page: the producer and the officers read what stands between the product and
its next star; the council and other producers do not."""
from __future__ import annotations

import pytest

from ocop_tracker.extensions import db
from ocop_tracker.reviews.services import current_round

from ..factories import decide
from .sheet_pages import rated, sheet_of, signed_in, three_stars
from .test_permissions import unscored_dossier


@pytest.fixture()
def certified_three_stars(world):
    dossier = unscored_dossier(world)
    sheet = sheet_of(dossier)
    rated(world, dossier, three_stars(sheet))
    decide(world, dossier)
    db.session.commit()
    assert (dossier.state, current_round(dossier).star) == ("certified", 3)
    return dossier, sheet


@pytest.mark.parametrize("who", ["producer", "officer", "province_officer"])
def test_the_plan_names_the_missing_points_and_minimums(app, certified_three_stars, who):
    dossier, sheet = certified_three_stars
    page = signed_in(app, who).get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    plan = page.split('id="upgrade-plan"')[1].split("</section>")[0]
    assert "Kế hoạch nâng hạng lên 4 sao" in plan and "Cần thêm" in plan and "để vào khung 4 sao" in plan
    ticks = three_stars(sheet)
    unmet = [c for c, o in sheet.minimums(4) if ticks[c].points < o.points]
    listed = plan.split('id="unmet-minimums"')[1].split("</ul>")[0]
    assert unmet and all(f'data-criterion="{c.id}"' in listed for c in unmet)
    assert plan.split('id="best-gains"')[1].count("<li") == 5


@pytest.mark.parametrize("who", ["member", "other_producer"])
def test_others_do_not_see_the_plan(app, certified_three_stars, who):
    dossier, _ = certified_three_stars
    response = signed_in(app, who).get(f"/dossiers/{dossier.id}")
    assert 'id="upgrade-plan"' not in response.get_data(as_text=True)


def test_no_plan_before_a_round_is_rated_on_the_sheet(app, world):
    dossier = unscored_dossier(world)
    page = signed_in(app, "producer").get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    assert 'id="upgrade-plan"' not in page
