"""What one transition through the one door costs in statements (issue 13): the dossier's unit, product, producer
and product set in one statement with it, and only the facts the event's branches look at (a return reads no
certificate, no round and no VietGAP stage); then the writes (the deadline met without reading it first) and the
mail. The count must not grow back."""
from __future__ import annotations

import re

from ocop_tracker.accounts.models import User
from ocop_tracker.deadlines.models import Deadline
from ocop_tracker.documents.services import current_documents, record_document_check
from ocop_tracker.dossiers.models import Dossier
from ocop_tracker.dossiers.services import apply_event
from ocop_tracker.extensions import db
from ocop_tracker.notifications.models import OutboxMail

from ..factories import DAY0, dossier_in_state
from ..statements import statements_run

HARNESS = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


def _what(statement: str) -> str:
    """"SELECT dossiers", "UPDATE deadlines", "INSERT INTO outbox_mails": the verb and the first table."""
    verb = statement.split()[0]
    table = re.search(r"\b(?:FROM|UPDATE|INTO)\s+(\w+)", statement)
    return f"{verb} {table.group(1) if table else '?'}"


def _fired_as_a_request_would(world, dossier: Dossier, event: str, who: str, **given) -> list[str]:
    """The statements of `event`, from the dossier's id and version and the signed-in user as a request has them
    (the dossier's row read alone, the user's loaded); nothing else in the session is loaded."""
    dossier_id, version, actor_id = dossier.id, dossier.version, world[who].id
    db.session.commit()
    db.session.expire_all()
    dossier, actor = db.session.get(Dossier, dossier_id), db.session.get(User, actor_id)
    with statements_run() as seen:
        apply_event(dossier, event, actor=actor, version=version, today=DAY0, **given)
    return [_what(statement) for statement in seen if not statement.startswith(HARNESS)]


def test_a_return_with_its_mail_costs_eight_statements(world):
    dossier = dossier_in_state(world, "district_review")
    kind = next(iter(current_documents(dossier)))
    record_document_check(current_documents(dossier)[kind], actor=world["officer"], outcome="needs_supplement",
                          note="Bản chụp mờ")
    seen = _fired_as_a_request_would(world, dossier, "return", "officer", comment="Thiếu giấy phép")
    assert seen == [
        "SELECT dossiers",  # with its reviewing unit, product, producer and product set
        "UPDATE dossiers", "INSERT transition_history",
        "UPDATE deadlines",  # the first-level check is met (not read first: no receipt day was recorded)
        "SELECT users", "SELECT documents", "SELECT document_checks",  # who reads it; what to supplement
        "INSERT outbox_mails",
    ]
    mail = db.session.scalars(db.select(OutboxMail).filter_by(kind="event.return")).one()
    assert mail.recipient_id == world["producer"].id and "Bản chụp mờ" in mail.body_text
    check = db.session.scalars(db.select(Deadline).filter_by(dossier_id=dossier.id, kind="first_level_check")).one()
    assert check.met_on == DAY0
