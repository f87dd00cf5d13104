"""The SQL statements a block of code runs: the tests that hold a page's or a job's cost constant as rows grow."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from ocop_tracker.extensions import db


@contextmanager
def statements_run(*, fresh: bool = False) -> Iterator[list[str]]:
    """Collects the text of every statement sent inside the block; `fresh` first empties the identity map, so
    nothing is served from what an earlier request or build loaded."""
    seen: list[str] = []

    def collect(_connection, _cursor, statement: str, *_args) -> None:
        seen.append(statement)

    if fresh:
        db.session.expire_all()
    event.listen(db.engine, "before_cursor_execute", collect)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", collect)
