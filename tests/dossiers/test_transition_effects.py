"""What follows a transition (certificate, deadlines, mails) runs wherever the event is fired, in its transaction."""
from __future__ import annotations

import pytest

from ocop_tracker.deadlines.models import Deadline
from ocop_tracker.deadlines.services import CERTIFICATE_KINDS, sync_deadlines
from ocop_tracker.dossiers.models import Dossier, TransitionRecord
from ocop_tracker.extensions import db
from ocop_tracker.notifications.models import OutboxMail
from ocop_tracker.registry.services import current_certificate
from ocop_tracker.signals import transition_applied

from ..factories import dossier_in_state, fire


def _certificate_deadlines(dossier: Dossier) -> int:
    return len(db.session.scalars(db.select(Deadline).filter(Deadline.dossier_id == dossier.id,
                                                             Deadline.kind.in_(CERTIFICATE_KINDS))).all())


def _revoke_mails(dossier: Dossier) -> int:
    return len(db.session.scalars(db.select(OutboxMail).filter_by(dossier_id=dossier.id, kind="event.revoke")).all())


def _assert_revoked_with_its_effects(dossier_id: int) -> None:
    db.session.expire_all()
    dossier = db.session.get(Dossier, dossier_id)
    certificate = current_certificate(dossier)
    assert dossier.state == "revoked"
    assert certificate.status == "revoked" and certificate.grounds == "Vi phạm nhãn"
    assert _certificate_deadlines(dossier) == 0
    assert _revoke_mails(dossier) == 1


def _revoke_fails(world, dossier: Dossier, match: str) -> None:
    """Revoking raises; the caller rolls back, as every caller of the door does with a failure."""
    with pytest.raises(RuntimeError, match=match):
        fire(world, dossier, "revoke", "province_officer", grounds="Vi phạm nhãn")
    db.session.rollback()


def test_a_transition_fired_from_the_command_line_runs_every_effect(app, world):
    dossier = dossier_in_state(world, "certified")
    assert _certificate_deadlines(dossier) > 0 and _revoke_mails(dossier) == 0
    result = app.test_cli_runner().invoke(args=["fire-event", str(dossier.id), "revoke", "--as", "province_officer",
                                                "--grounds", "Vi phạm nhãn"])
    assert result.exit_code == 0, result.output
    _assert_revoked_with_its_effects(dossier.id)


def test_a_transition_fired_by_a_page_runs_every_effect(world, login_as):
    dossier = dossier_in_state(world, "certified")
    response = login_as("province_officer").post(f"/dossiers/{dossier.id}/events/revoke", data={
        "revoke-version": dossier.version, "revoke-grounds": "Vi phạm nhãn"})
    assert response.status_code == 302
    _assert_revoked_with_its_effects(dossier.id)


def test_a_failing_effect_rolls_the_whole_transition_back(world):
    dossier = dossier_in_state(world, "certified")
    version, history = dossier.version, len(dossier.history)

    def broken_mail(_stage, **_kwargs):
        raise RuntimeError("the outbox is broken")

    transition_applied.connect(broken_mail, sender="mails")
    try:
        _revoke_fails(world, dossier, "outbox")
    finally:
        transition_applied.disconnect(broken_mail, sender="mails")
    dossier = db.session.get(Dossier, dossier.id)
    assert (dossier.state, dossier.version, len(dossier.history)) == ("certified", version, history)
    assert current_certificate(dossier).status == "valid" and _certificate_deadlines(dossier) > 0
    assert db.session.scalar(db.select(db.func.count()).select_from(TransitionRecord)
                             .filter_by(dossier_id=dossier.id, event="revoke")) == 0


def test_a_stage_nobody_follows_is_refused_not_skipped(world):
    dossier = dossier_in_state(world, "certified")
    transition_applied.disconnect(sync_deadlines, sender="deadlines")
    try:
        _revoke_fails(world, dossier, "deadlines")
    finally:
        transition_applied.connect(sync_deadlines, sender="deadlines")
    assert db.session.get(Dossier, dossier.id).state == "certified"
