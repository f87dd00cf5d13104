"""New files tied to the transaction that is to reference them: when it does not commit, they are deleted."""
from __future__ import annotations

import logging
import secrets

from sqlalchemy import event

from ..extensions import db
from .setup import current_storage

log = logging.getLogger(__name__)
PENDING = "ocop_new_files"  # key in session.info: [(storage, name)] written since the last commit


def put_new(data: bytes, extension: str) -> str:
    """Write the bytes durably under a fresh random name, before the row naming it is committed."""
    name = secrets.token_hex(16) + extension
    storage = current_storage()
    storage.put(name, data)
    db.session.info.setdefault(PENDING, []).append((storage, name))
    return name


def _committed(session) -> None:
    session.info.pop(PENDING, None)  # their rows are in the database now


def _ended(session, transaction) -> None:
    """A rollback, a failed commit or a session closed without commit: no row points to the new files."""
    if transaction.parent is not None:
        return
    for storage, name in session.info.pop(PENDING, ()):
        try:
            storage.delete(name)
        except Exception:  # the rollback must go on; the sweep removes the file later
            log.exception("could not delete the unreferenced file %s", name)


def watch_transactions() -> None:
    """Listen once per process (every app shares the one session factory)."""
    for name, listener in (("after_commit", _committed), ("after_transaction_end", _ended)):
        if not event.contains(db.session, name, listener):
            event.listen(db.session, name, listener)
