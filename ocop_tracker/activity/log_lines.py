"""One log line per change a service makes, written when its transaction commits: a refused or failed change,
rolled back, leaves no line claiming it happened. The activity log (log_action) is what people read; this is what
the operators' JSON logs carry."""
from __future__ import annotations

import logging

from sqlalchemy import event
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
_PENDING = "ocop_log_lines"


def log_change(message: str, *args) -> None:
    """Queue one line for the change being made in this session's transaction (logged at INFO on commit)."""
    from ..extensions import db  # the session of the request or command in hand

    db.session.info.setdefault(_PENDING, []).append((message, args))


@event.listens_for(Session, "after_commit")
def _write(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint released: the change is not committed yet
        return
    for message, args in session.info.pop(_PENDING, []):
        log.info(message, *args)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    # A savepoint rolled back keeps the lines before it: a service queues its line last, after it succeeded.
    if not session.in_nested_transaction():
        session.info.pop(_PENDING, None)
