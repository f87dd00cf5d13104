"""Administrator commands run the same services as the pages."""
from datetime import timedelta

from ocop_tracker.accounts.models import User
from ocop_tracker.dossiers.models import Dossier
from ocop_tracker.extensions import db

from .factories import dossier_in_state, expiry_day


def test_create_user_then_sign_in(app, world, client):
    result = app.test_cli_runner().invoke(args=["create-user", "can.bo.xa", "--role", "officer", "--unit", "P-D1",
                                                "--password", "mat-khau-dai", "--full-name", "Cán bộ xã"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(db.select(User).filter_by(username="can.bo.xa")).full_name == "Cán bộ xã"
    assert client.post("/login", data={"username": "can.bo.xa", "password": "mat-khau-dai"}).status_code == 302


def test_create_producer_without_organisation_refused(app, world):
    result = app.test_cli_runner().invoke(args=["create-user", "x", "--role", "producer", "--password", "12345678"])
    assert result.exit_code != 0 and "organisation" in result.output


def test_fire_event_reports_a_refusal(app, world):
    dossier = dossier_in_state(world, "draft")
    result = app.test_cli_runner().invoke(args=["fire-event", str(dossier.id), "forward", "--as", "officer"])
    assert result.exit_code != 0 and "event_not_allowed" in result.output


def test_expire_certificates_goes_through_the_workflow(app, world):
    dossier = dossier_in_state(world, "certified")
    app.config["TODAY"] = expiry_day(dossier) + timedelta(days=1)  # the demo clock: runs up to that day are allowed
    on_last_day = app.test_cli_runner().invoke(args=["expire-certificates", "--today", expiry_day(dossier).isoformat()])
    assert "0 certificates expired" in on_last_day.output  # still valid on its last valid day
    day = (expiry_day(dossier) + timedelta(days=1)).isoformat()
    result = app.test_cli_runner().invoke(args=["expire-certificates", "--today", day])
    assert "1 certificates expired" in result.output
    db.session.expire_all()
    expired = db.session.get(Dossier, dossier.id)
    assert expired.state == "expired" and expired.history[-1].actor_name == "system"


def test_set_password_signs_the_user_out_everywhere(app, world, login_as):
    client = login_as("producer")
    result = app.test_cli_runner().invoke(args=["set-password", "producer", "--password", "mat-khau-moi-9"])
    assert result.exit_code == 0, result.output
    response = client.get("/")
    assert response.status_code == 302 and response.location.startswith("/login")
