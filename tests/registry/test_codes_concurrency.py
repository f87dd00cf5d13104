"""Two certificates issued at once in one commune take different numbers of its product list."""
from __future__ import annotations

import threading

import pytest

from ocop_tracker.dossiers.models import Dossier
from ocop_tracker.dossiers.placement import dossier_rules
from ocop_tracker.extensions import db
from ocop_tracker.registry.services import issue_certificate
from ocop_tracker.reviews.services import current_round

from ..factories import dossier_in_state
from .test_codes import QD26_DAY

pytestmark = pytest.mark.committing  # sessions of their own in threads

TIMEOUT = 30


def _issue(app, dossier_id: int, codes: dict, took: threading.Event, wait_for: threading.Event | None) -> None:
    """Runs in a thread with its own session: issue the certificate; the first holds its transaction open a moment
    after taking a number, so the second counts the list before the first's number is committed."""
    with app.app_context():
        try:
            if wait_for is not None:
                wait_for.wait(TIMEOUT)
            dossier = db.session.get(Dossier, dossier_id)
            certificate = issue_certificate(dossier, current_round(dossier), star=3, rules=dossier_rules(dossier),
                                            recognised_by="province", issued_on=QD26_DAY)
            db.session.flush()
            took.set()
            if wait_for is None:
                threading.Event().wait(1)  # the other one reads the list now, then waits on our number
            db.session.commit()
            codes[dossier_id] = certificate.code
        finally:
            db.session.remove()


def test_two_certificates_issued_at_once_in_one_commune_take_numbers_one_and_two(app, world):
    dossiers = [dossier_in_state(world, "awaiting_decision", day=QD26_DAY) for _ in range(2)]
    ids = [d.id for d in dossiers]
    db.session.commit()  # end the test's own transaction: on SQLite it holds the write lock
    codes: dict[int, str] = {}
    first_took, second_took = threading.Event(), threading.Event()
    threads = [threading.Thread(target=_issue, args=(app, ids[0], codes, first_took, None)),
               threading.Thread(target=_issue, args=(app, ids[1], codes, second_took, first_took))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert codes == {ids[0]: "P-P-D1-C1-1-2026", ids[1]: "P-P-D1-C1-2-2026"}
