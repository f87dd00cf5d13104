"""Deadlines in the pages: the dossier's list, a missing calendar year, VietGAP's warning, the queue's filters."""
from __future__ import annotations

from datetime import date, timedelta

from ocop_tracker.deadlines.models import Deadline
from ocop_tracker.documents.services import record_vietgap
from ocop_tracker.extensions import db

from ..factories import QD26_DAY, dossier_in_state, expiry_day, fire, new_dossier


def _submit(client, dossier):
    return client.post(f"/dossiers/{dossier.id}/events/submit", data={"submit-version": dossier.version, "declared": "y"})


def test_submitted_before_the_calendar_has_next_year_then_the_admin_adds_it(app, world, login_as, browser):
    app.config["TODAY"] = date(2026, 12, 20)
    dossier = new_dossier(world)
    db.session.commit()
    assert _submit(login_as("producer"), dossier).status_code == 302
    deadline = db.session.scalar(db.select(Deadline).filter_by(dossier_id=dossier.id))
    assert (deadline.kind, deadline.starts_on, deadline.due_on) == ("first_level_check", date(2026, 12, 21), None)
    officer = browser("officer")
    page = officer.get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    assert 'data-calendar-missing="2027"' in page and "chưa có lịch làm việc năm 2027" in page
    assert 'data-deadline-status="unknown"' in page
    assert browser("admin").post("/admin/calendar", data={"year": 2027}).status_code == 302
    db.session.refresh(deadline)
    assert deadline.due_on == date(2027, 1, 8)  # weekends only, until the holidays of 2027 are added
    page = officer.get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    assert "08/01/2027" in page and "data-calendar-missing" not in page


def test_dossier_page_lists_met_deadlines_too(app, world, login_as):
    dossier = dossier_in_state(world, "certified", day=QD26_DAY)  # admitted to a batch: a decision date
    app.config["TODAY"] = expiry_day(dossier) - timedelta(days=400)
    page = login_as("producer").get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    for kind in ("first_level_check", "decision", "re_rating_filing", "certificate_expiry"):
        assert f'data-deadline-kind="{kind}"' in page
    assert page.count('data-deadline-status="met"') == 2
    assert "Gia hạn" not in page  # a producer extends nothing


def test_vietgap_ending_before_the_re_rating_is_warned(app, world, login_as):
    dossier = dossier_in_state(world, "certified")
    expires = expiry_day(dossier)
    client = login_as("producer")
    assert 'id="vietgap-warning"' not in client.get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    record_vietgap(dossier, actor=world["producer"], certificate_no="VG-2", issuer="VIETCERT",
                   issued_on=date(2026, 1, 5), valid_until=date(2028, 1, 4))
    db.session.commit()
    page = client.get(f"/dossiers/{dossier.id}").get_data(as_text=True)
    assert 'id="vietgap-warning"' in page and "04/01/2028" in page
    assert (expires - timedelta(days=120)).strftime("%d/%m/%Y") in page
    assert 'data-deadline-kind="vietgap_expiry"' in page


def test_queue_due_filters_are_read_from_the_open_deadlines(app, world, login_as):
    soon = dossier_in_state(world, "district_review")  # first-level check due 23/03/2026
    later = new_dossier(world, name="Chè búp Mỹ Tân")
    fire(world, later, "submit", "producer", day=date(2026, 3, 16))  # due 06/04/2026
    db.session.commit()
    client = login_as("officer")
    app.config["TODAY"] = date(2026, 3, 19)
    page = client.get("/?due=due_soon").get_data(as_text=True)
    assert f'data-dossier="{soon.id}"' in page and f'data-dossier="{later.id}"' not in page
    assert f'data-dossier="{soon.id}"' not in client.get("/?due=overdue").get_data(as_text=True)
    app.config["TODAY"] = date(2026, 3, 24)
    page = client.get("/?due=overdue").get_data(as_text=True)
    assert f'data-dossier="{soon.id}"' in page and f'data-dossier="{later.id}"' not in page
    app.config["TODAY"] = date(2026, 4, 2)
    page = client.get("/?due=due_soon").get_data(as_text=True)
    assert f'data-dossier="{later.id}"' in page and f'data-dossier="{soon.id}"' not in page
