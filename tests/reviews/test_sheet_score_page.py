"""The scores page of a round under QĐ 26's sheets: a member ticks one option per criterion; the page keeps what was
ticked when it refuses; the chair reads each member's option, the spread and the minimums before closing."""
from __future__ import annotations

import re
from decimal import Decimal

from ocop_tracker.extensions import db
from ocop_tracker.reviews.models import Score, SheetMark
from ocop_tracker.reviews.services import current_round, record_self_assessment, score_dossier

from ..factories import DISTRICT_ERA_DAY, fire, new_dossier
from .sheet_pages import checked, every, highest, lowest, middle, posted, sheet_of, signed_in
from .test_permissions import unscored_dossier


def _score(dossier, member) -> Score | None:
    return db.session.scalar(db.select(Score).filter_by(round_id=current_round(dossier).id, member_id=member.id))


def test_member_sees_the_sheet_with_points_minimums_and_rejection(app, world):
    dossier = unscored_dossier(world)
    sheet = sheet_of(dossier)
    page = signed_in(app, "member").get(f"/dossiers/{dossier.id}/scores").get_data(as_text=True)
    assert page.count("data-criterion=") == len(sheet.criteria)
    assert 'type="radio"' in page and "tối thiểu 4★" in page and "sheet.js" in page
    assert 'id="rejection"' in page and sheet.rejection_conditions[0] in page
    assert "Phần A" in page and f'data-sheet-left="{len(sheet.criteria)}"' in page
    assert 'name="part_a"' not in page  # no totals typed on a sheet round


def test_a_whole_sheet_is_saved_with_its_parts_computed(app, world):
    dossier = unscored_dossier(world)
    sheet = sheet_of(dossier)
    ticks = every(sheet, lowest)
    browser = signed_in(app, "member")
    first = sheet.criteria[0]
    response = browser.post(f"/dossiers/{dossier.id}/scores", data=posted(ticks, {first: "Có hợp đồng bao tiêu"}))
    assert response.status_code == 302 and response.location == f"/dossiers/{dossier.id}/scores"
    score = _score(dossier, world["member"])
    parts = {p.code: Decimal(sum(ticks[c].points for c in p.criteria)) for p in sheet.parts}
    assert (score.part_a, score.part_b, score.part_c) == (parts["A"], parts["B"], parts["C"])
    marks = db.session.scalars(db.select(SheetMark).filter_by(score_id=score.id)).all()
    assert len(marks) == len(sheet.criteria)
    page = browser.get(response.location).get_data(as_text=True)
    assert "Đã lưu phiếu chấm của bạn." in page
    assert checked(page, ticks[first]) and "Có hợp đồng bao tiêu" in page  # the sheet comes back filled


def test_an_incomplete_sheet_is_refused_and_keeps_every_tick(app, world):
    dossier = unscored_dossier(world)
    sheet = sheet_of(dossier)
    ticks = {c: highest(c) for c in sheet.criteria[:5]}
    response = signed_in(app, "member").post(f"/dossiers/{dossier.id}/scores",
                                             data=posted(ticks, {sheet.criteria[0]: "ghi chú giữ lại"}))
    page = response.get_data(as_text=True)
    left = len(sheet.criteria) - 5
    assert response.status_code == 400
    assert f"còn {left} tiêu chí chưa chọn mức" in page and sheet.criteria[5].number in page
    assert all(checked(page, option) for option in ticks.values()) and "ghi chú giữ lại" in page
    assert page.count("Chọn một mức cho tiêu chí này.") == left
    assert _score(dossier, world["member"]) is None


def test_a_forged_option_is_refused_on_its_criterion(app, world):
    dossier = unscored_dossier(world)
    sheet = sheet_of(dossier)
    data = posted(every(sheet))
    first = sheet.criteria[0]
    data[next(k for k in data if k.startswith("c_"))] = sheet.criteria[1].options[0].id  # another criterion's
    data["rejection"] = "99"
    response = signed_in(app, "member").post(f"/dossiers/{dossier.id}/scores", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Lựa chọn không hợp lệ." in page and first.number in page
    assert _score(dossier, world["member"]) is None


def test_the_producers_self_assessment_is_beside_each_criterion(app, world):
    dossier = new_dossier(world)
    sheet = sheet_of(dossier)
    first = sheet.criteria[0]
    record_self_assessment(dossier, actor=world["producer"], criteria={first.id: highest(first).id},
                           notes={first.id: "Hợp đồng với 40 hộ"})
    for event, who in (("submit", "producer"), ("forward", "officer"), ("admit", "province_officer")):
        fire(world, dossier, event, who)
    db.session.commit()
    page = signed_in(app, "member").get(f"/dossiers/{dossier.id}/scores").get_data(as_text=True)
    assert page.count("data-self-mark") == 1
    assert f"Chủ thể tự chấm: {highest(first).text}" in page and "Hợp đồng với 40 hộ" in page


def _three_members_scored(world, dossier, sheet):
    """The chair, a member and the third member tick differently: the third is far apart on the first criterion,
    and nobody meets the first 4★ minimum."""
    minimum4 = sheet.minimums(4)[0]
    below = max((o for o in minimum4[0].options if o.points < minimum4[1].points), key=lambda o: o.points)
    base = every(sheet, highest, but={minimum4[0]: below})
    first = sheet.criteria[0]
    apart = {**base, first: lowest(first)} if first is not minimum4[0] else base
    for who, ticks, finding in (("chair", base, None), ("member", base, None),
                                ("member3", apart, sheet.rejection_conditions[0])):
        score_dossier(dossier, actor=world[who], criteria={c.id: o.id for c, o in ticks.items()},
                      rejection=finding)
    db.session.commit()
    return minimum4, first


def test_chairs_view_shows_options_spread_minimums_and_rejections(app, world):
    dossier = unscored_dossier(world)
    sheet = sheet_of(dossier)
    (blocked, _), first = _three_members_scored(world, dossier, sheet)
    page = signed_in(app, "chair").get(f"/dossiers/{dossier.id}/scores").get_data(as_text=True)
    assert 'id="council-sheet"' in page and 'id="rejection-findings"' in page
    assert page.index('id="rejection-findings"') < page.index('id="council-result"')  # flagged at the top
    assert sheet.rejection_conditions[0] in page.split('id="rejection-findings"')[1].split("</div>")[0]
    row = re.search(rf'<tr data-criterion="{re.escape(first.id)}"[^>]*>', page).group(0)
    assert "data-spread-large" in row
    blocked_row = page.split(f'<tr data-criterion="{blocked.id}"')[1].split("</tr>")[0]
    assert 'data-blocks="4"' in blocked_row
    assert 'data-minimum-star="3"' in page and 'id="blocking"' in page
    assert 'id="event-close_rating"' in page or "close_rating" in page


def test_a_member_who_has_not_scored_sees_no_one_elses_options(app, world):
    dossier = unscored_dossier(world)
    sheet = sheet_of(dossier)
    score_dossier(dossier, actor=world["chair"], criteria={c.id: highest(c).id for c in sheet.criteria})
    db.session.commit()
    page = signed_in(app, "member").get(f"/dossiers/{dossier.id}/scores").get_data(as_text=True)
    assert 'id="council-sheet"' not in page and "Đã có 1 phiếu chấm." in page


def test_after_closing_the_member_reads_their_sheet_without_inputs(app, world):
    dossier = unscored_dossier(world)
    sheet = sheet_of(dossier)
    for who in ("chair", "member", "member3"):
        score_dossier(dossier, actor=world[who], criteria={c.id: middle(c).id for c in sheet.criteria})
    fire(world, dossier, "close_rating", "chair")
    db.session.commit()
    page = signed_in(app, "member").get(f"/dossiers/{dossier.id}/scores").get_data(as_text=True)
    assert "phiếu chấm không sửa được nữa" in page and 'type="radio"' not in page
    assert "Xem phiếu chấm của bạn" in page


def test_a_district_era_round_keeps_the_three_totals(app, world):
    dossier = new_dossier(world)
    fire(world, dossier, "submit", "producer", day=DISTRICT_ERA_DAY)
    fire(world, dossier, "forward", "district_officer", day=DISTRICT_ERA_DAY)
    db.session.commit()
    browser = signed_in(app, "district_member")
    page = browser.get(f"/dossiers/{dossier.id}/scores").get_data(as_text=True)
    assert 'name="part_a"' in page and "data-criterion" not in page
    response = browser.post(f"/dossiers/{dossier.id}/scores", data={"part_a": "30", "part_b": "20", "part_c": "25"})
    assert response.status_code == 302
    assert _score(dossier, world["district_member"]).total == Decimal(75)
