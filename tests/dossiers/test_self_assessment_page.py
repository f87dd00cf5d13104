"""The producer's self-assessment on the sheet (Mẫu 02, part III): saved in part on a phone, finished later; the
district-era rounds keep the three totals."""
from __future__ import annotations

from decimal import Decimal

from ocop_tracker.extensions import db
from ocop_tracker.reviews.models import SheetMark
from ocop_tracker.reviews.services import current_round

from ..factories import DISTRICT_ERA_DAY, fire, new_dossier
from ..reviews.sheet_pages import checked, every, highest, posted, sheet_of, signed_in


def _self_marks(dossier) -> dict[str, str]:
    return dict(db.session.execute(db.select(SheetMark.criterion_id, SheetMark.option_id).filter_by(
        round_id=current_round(dossier).id, score_id=None)).all())


def test_part_of_the_sheet_is_saved_and_the_rest_left_to_do(app, world):
    dossier = new_dossier(world)
    db.session.commit()
    sheet = sheet_of(dossier)
    browser = signed_in(app, "producer")
    address = f"/dossiers/{dossier.id}/self-assessment"
    page = browser.get(address).get_data(as_text=True)
    assert page.count("data-criterion=") == len(sheet.criteria) and 'id="rejection"' not in page
    first = {c: highest(c) for c in sheet.criteria[:4]}
    response = browser.post(address, data=posted(first, {sheet.criteria[0]: "Hợp đồng với 40 hộ"}))
    assert response.status_code == 302 and response.location == address
    assert _self_marks(dossier) == {c.id: o.id for c, o in first.items()}
    page = browser.get(address).get_data(as_text=True)
    left = len(sheet.criteria) - 4
    assert f"Còn {left} tiêu chí chưa chọn" in page and f'data-sheet-left="{left}"' in page
    assert all(checked(page, o) for o in first.values()) and "Hợp đồng với 40 hộ" in page
    evaluation = current_round(dossier)
    assert evaluation.self_part_a == Decimal(sum(o.points for c, o in first.items()
                                                 if c in sheet.parts[0].criteria))


def test_the_whole_sheet_saved_goes_back_to_the_dossier(app, world):
    dossier = new_dossier(world)
    db.session.commit()
    sheet = sheet_of(dossier)
    response = signed_in(app, "producer").post(f"/dossiers/{dossier.id}/self-assessment",
                                               data=posted(every(sheet)))
    assert response.status_code == 302 and response.location == f"/dossiers/{dossier.id}"
    assert len(_self_marks(dossier)) == len(sheet.criteria)
    assert sum(current_round(dossier).__getattribute__(f"self_part_{p}") for p in "abc") == 100


def test_a_forged_option_or_long_note_is_said_on_the_page_and_nothing_is_lost(app, world):
    dossier = new_dossier(world)
    db.session.commit()
    sheet = sheet_of(dossier)
    first, second = sheet.criteria[:2]
    data = posted({first: highest(first)}, {second: "x" * 600})
    data["c_forged"] = "nothing"
    response = signed_in(app, "producer").post(f"/dossiers/{dossier.id}/self-assessment", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Tối đa 500 ký tự." in page and checked(page, highest(first))
    assert _self_marks(dossier) == {}


def test_only_the_producer_preparing_the_dossier_may_self_assess(app, world):
    dossier = new_dossier(world)
    fire(world, dossier, "submit", "producer")
    db.session.commit()
    assert signed_in(app, "producer").get(f"/dossiers/{dossier.id}/self-assessment").status_code == 403
    assert signed_in(app, "other_producer").get(f"/dossiers/{dossier.id}/self-assessment").status_code == 404


def test_a_district_era_round_keeps_the_three_totals(app, world):
    dossier = new_dossier(world)
    fire(world, dossier, "submit", "producer", day=DISTRICT_ERA_DAY)
    fire(world, dossier, "return", "district_officer", day=DISTRICT_ERA_DAY, comment="Bổ sung")
    db.session.commit()
    page = signed_in(app, "producer").get(f"/dossiers/{dossier.id}/self-assessment").get_data(as_text=True)
    assert 'name="part_a"' in page and "data-criterion" not in page


def test_every_product_sets_sheet_renders_its_criteria_groups_and_cases(app, world):
    """All 26 sheets: a radio per option, the groups (6.1 → 6.1.1) and set 26's kinds of provider printed."""
    browser = signed_in(app, "producer")
    for number in range(1, 27):
        dossier = new_dossier(world, set_number=number, documents=False, name=f"Sản phẩm bộ {number}")
        db.session.commit()
        sheet = sheet_of(dossier)
        page = browser.get(f"/dossiers/{dossier.id}/self-assessment").get_data(as_text=True)
        assert page.count('type="radio"') == sum(len(c.options) for c in sheet.criteria), number
        for section in (s for part in sheet.parts for s in part.sections):
            assert all(f"{group.number} {group.title}" in page for group in section.groups), number
        cases = {o.case for c in sheet.criteria for o in c.options if o.case}
        assert all(case in page for case in cases), number
