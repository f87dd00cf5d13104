"""The dossier list costs the same number of statements for 10 and 500 dossiers, and builds no machine."""
from __future__ import annotations

import transitions
from sqlalchemy import event

from ocop_tracker.extensions import db

from ..factories import new_dossier


class _StatementCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, *_args, **_kwargs):
        self.count += 1


def _statements_for_list_page(client) -> tuple[int, int]:
    counter = _StatementCounter()
    event.listen(db.engine, "before_cursor_execute", counter)
    try:
        response = client.get("/?page=1")
    finally:
        event.remove(db.engine, "before_cursor_execute", counter)
    assert response.status_code == 200
    return counter.count, response.get_data(as_text=True).count("data-dossier=")


def _add_dossiers(world, count: int) -> None:
    start = db.session.scalar(db.select(db.func.count()).select_from(db.metadata.tables["dossiers"]))
    for n in range(start, count):
        new_dossier(world, documents=False, name=f"Sản phẩm {n}")
    db.session.commit()


def test_list_statements_do_not_grow_with_dossiers(app, world, login_as, monkeypatch):
    app.config["DOSSIERS_PER_PAGE"] = 1000
    machines_built = []
    original_init = transitions.Machine.__init__
    monkeypatch.setattr(transitions.Machine, "__init__",
                        lambda self, *a, **k: (machines_built.append(1), original_init(self, *a, **k))[1])
    client = login_as("admin")
    _add_dossiers(world, 10)
    small, rows_small = _statements_for_list_page(client)
    _add_dossiers(world, 500)
    large, rows_large = _statements_for_list_page(client)
    assert (rows_small, rows_large) == (10, 500)
    assert small == large
    assert machines_built == []
