"""The decisions list costs the same number of statements however many decisions and waiting dossiers there are."""
from __future__ import annotations

from ocop_tracker.extensions import db

from ..factories import decide, dossier_in_state
from ..statements import statements_run


def _statements_for(client, path: str) -> tuple[int, str]:
    with statements_run() as seen:
        response = client.get(path)
    assert response.status_code == 200
    return len(seen), response.get_data(as_text=True)


def _add(world, count: int) -> None:
    """`count` decided dossiers and `count` more waiting for a decision."""
    for _ in range(count):
        decide(world, dossier_in_state(world, "awaiting_decision"))
        dossier_in_state(world, "awaiting_decision")
    db.session.commit()


def test_decisions_list_statements_do_not_grow(world, login_as):
    client = login_as("admin")
    _add(world, 1)
    small, page = _statements_for(client, "/decisions")
    assert page.count("/QĐ-UBND") == 1 and "/decisions/record" in page
    _add(world, 3)
    large, page = _statements_for(client, "/decisions")
    assert page.count("/QĐ-UBND") == 4 and "/decisions/record" in page
    assert small == large
