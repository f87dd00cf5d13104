"""Where the producer may record VietGAP, one truth: `can_record_vietgap` (VIETGAP_RECORDABLE).

VietGAP has its own expiry (design.md): the producer records it while preparing, while it is verified, and renews
it once certified — so the dossier page links to the form and the summary names it missing in those states too.
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from ocop_tracker.dossiers.models import Dossier
from ocop_tracker.dossiers.permissions import can_record_vietgap
from ocop_tracker.extensions import db
from ocop_tracker.summaries.services import build_summary

from ..factories import BANANA, DAY0, decide, fire, new_dossier, score_all

MISSING_VIETGAP = "giấy chứng nhận VietGAP còn hiệu lực"


def certified_fresh_produce(world, then: str | None = None) -> Dossier:
    """A banana dossier (a product set with a VietGAP stage), certified without a VietGAP certificate."""
    dossier = new_dossier(world, set_number=BANANA, name="Chuối tiêu Viba")
    fire(world, dossier, "submit", "producer")
    fire(world, dossier, "verify_vietgap", "officer", comment="Chưa có giấy chứng nhận VietGAP: không cộng điểm")
    fire(world, dossier, "forward", "officer")
    fire(world, dossier, "admit", "province_officer")
    score_all(world, dossier)
    fire(world, dossier, "close_rating", "chair")
    decide(world, dossier)
    if then:
        fire(world, dossier, then, "producer")
    db.session.commit()
    return dossier


def _summary_notes(world, dossier: Dossier) -> list[str]:
    summary = build_summary(world["producer"], DAY0 + timedelta(days=1), DAY0)
    lines = [line for section in summary.sections for line in section.lines if line.key == str(dossier.id)]
    assert lines, f"dossier {dossier.id} is not in the producer's summary"
    return [note for line in lines for note in line.notes]


@pytest.mark.parametrize("then, state", [(None, "certified"), ("request_upgrade", "upgrade"),
                                         ("request_re_rating", "re_rating")])
def test_summary_names_vietgap_missing_wherever_the_producer_may_record_it(world, then, state):
    dossier = certified_fresh_produce(world, then)
    assert dossier.state == state and can_record_vietgap(world["producer"], dossier)
    assert any(MISSING_VIETGAP in note for note in _summary_notes(world, dossier))


def test_summary_does_not_ask_for_vietgap_once_a_valid_one_is_recorded(world, login_as):
    dossier = certified_fresh_produce(world, "request_upgrade")
    client = login_as("producer")
    response = client.post(f"/dossiers/{dossier.id}/vietgap", data={
        "certificate_no": "VG-12", "issuer": "VIETCERT", "issued_on": (DAY0 - timedelta(days=10)).isoformat(),
        "valid_until": date(2029, 1, 1).isoformat()})
    assert response.status_code == 302
    assert not any(MISSING_VIETGAP in note for note in _summary_notes(world, dossier))


def test_certified_dossier_page_links_the_producer_to_the_vietgap_form(world, login_as):
    """The page warns that VietGAP must be renewed before the re-rating; it must also offer the form."""
    dossier = certified_fresh_produce(world)
    client = login_as("producer")
    page = client.get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    assert f'href="/dossiers/{dossier.id}/vietgap" id="vietgap-link"' in page
    assert client.get(f"/dossiers/{dossier.id}/vietgap").status_code == 200


def test_upgrade_task_list_links_vietgap_as_the_predicate_allows(world, login_as):
    dossier = certified_fresh_produce(world, "request_upgrade")
    page = login_as("producer").get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    tasks = page[page.index('id="tasks"'):page.index("</ol>", page.index('id="tasks"'))]
    assert f'href="/dossiers/{dossier.id}/vietgap"' in tasks


def test_officers_get_no_vietgap_link(world, login_as):
    dossier = certified_fresh_produce(world)
    page = login_as("province_officer").get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    assert 'id="vietgap-link"' not in page and f"/dossiers/{dossier.id}/vietgap" not in page
