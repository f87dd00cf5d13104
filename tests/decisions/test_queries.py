"""What the decisions list reads: whether anything waits for the user's decision, and each decision's line count,
without building rows for every waiting dossier or every line."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from ocop_tracker.accounts.models import User
from ocop_tracker.decisions.models import DecisionItem
from ocop_tracker.decisions.queries import awaiting_decision, decision_page, line_counts
from ocop_tracker.decisions.services import DecisionLine, record_decision
from ocop_tracker.dossiers.models import Dossier
from ocop_tracker.extensions import db

from ..factories import DAY0, dossier_in_state


@contextmanager
def built(kind: type) -> Iterator[list[object]]:
    """The rows of `kind` the ORM builds from the database inside the block (its load event)."""
    rows: list[object] = []

    def seen(target, _context) -> None:
        rows.append(target)

    event.listen(kind, "load", seen)
    try:
        yield rows
    finally:
        event.remove(kind, "load", seen)


def _afresh(user: User) -> User:
    """The user read again into an emptied session, so what a query builds can be counted."""
    user_id = user.id
    db.session.expunge_all()
    return db.session.get(User, user_id)


def test_asking_for_one_waiting_dossier_builds_one(world):
    waiting = {dossier_in_state(world, "awaiting_decision").id for _ in range(3)}
    officer = _afresh(world["province_officer"])
    with built(Dossier) as dossiers:
        one = awaiting_decision(officer, DAY0, limit=1)
    assert len(one) == 1 and one[0][0].id in waiting
    assert len(dossiers) == 1  # it built all three, to keep the first


def test_without_limit_every_waiting_dossier_in_id_order(world):
    waiting = [dossier_in_state(world, "awaiting_decision") for _ in range(3)]
    listed = awaiting_decision(world["province_officer"], DAY0)
    assert [dossier.id for dossier, _round in listed] == sorted(d.id for d in waiting)
    assert all(evaluation.number == dossier.round_number for dossier, evaluation in listed)


def test_line_counts_are_counted_without_loading_the_lines(world):
    two = [dossier_in_state(world, "awaiting_decision") for _ in range(2)]
    one = dossier_in_state(world, "awaiting_decision")
    for number, dossiers in (("1/QĐ-UBND", two), ("2/QĐ-UBND", [one])):
        record_decision(actor=world["province_officer"], number=number, signed_on=DAY0, signer="Nguyễn Văn A",
                        lines=[DecisionLine(d, d.id, d.version, "recognise") for d in dossiers], today=DAY0)
    db.session.commit()
    with built(DecisionItem) as lines:
        page = decision_page(_afresh(world["province_officer"]), 1)
        counts = line_counts(page.items)
    assert sorted((d.number, counts[d.id]) for d in page.items) == [("1/QĐ-UBND", 2), ("2/QĐ-UBND", 1)]
    assert lines == []


def test_the_list_shows_each_decisions_line_count(world, login_as):
    dossiers = [dossier_in_state(world, "awaiting_decision") for _ in range(2)]
    record_decision(actor=world["province_officer"], number="7/QĐ-UBND", signed_on=DAY0, signer="Nguyễn Văn A",
                    lines=[DecisionLine(d, d.id, d.version, "recognise") for d in dossiers], today=DAY0)
    db.session.commit()
    page = login_as("admin").get("/decisions").get_data(as_text=True)
    row = page[page.index("7/QĐ-UBND"):].split("</tr>")[0]
    assert '<td class="text-end">2</td>' in row
