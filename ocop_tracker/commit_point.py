"""The one place a page's change is committed or rolled back, and a refusal becomes the page's message.

Indico's rh.py habit: a view hands one service call to `committed` (or `saved`, which also flashes); the change
commits whole, or nothing of it stays. A `Refusal` is said to the reader; any other exception is rolled back and
raised on, to the 500 page. The API's counterpart is its error handler (api/errors.py), which answers every
`Refusal` in the contract's JSON.
"""
from __future__ import annotations

import logging
from collections.abc import Callable

from flask import abort, flash
from flask_babel import gettext as _

from .extensions import db
from .refusals import Refusal, speaker_of

log = logging.getLogger(__name__)


def said(error: Refusal) -> str:
    """The refusal in the reader's language, by the speaker its family registered (refusals.speaks)."""
    speaker = speaker_of(error)
    return speaker(error) if speaker is not None else _("Không thể thực hiện thao tác.")


def committed(change: Callable[[], object]) -> Refusal | None:
    """Run one service call and commit; a refusal is rolled back (nothing half-written) and returned."""
    try:
        change()
    except Refusal as error:
        db.session.rollback()
        log.info("refused: %s (%s) %s", error.code, error.status, error.message)
        return error
    except BaseException:
        db.session.rollback()  # an unexpected failure leaves nothing half-written either, then the 500 page
        raise
    db.session.commit()
    return None


def flash_refusal(error: Refusal, *, unseen: bool = False) -> None:
    """Flash why a service refused; a permission refusal is a 403 (a 404 where the page itself is `unseen` to
    whoever may not act, as the administration is), never a hint of what exists."""
    if error.status == 403:
        abort(404 if unseen else 403)
    if error.status == 404:
        abort(404)
    flash(said(error), error.flash_category)


def saved(change: Callable[[], object], success: str | None = None, *, unseen: bool = False) -> Refusal | None:
    """`committed`, then say so: the success flashed, or why it was refused. None when it was saved."""
    refusal = committed(change)
    if refusal is None:
        flash(success or _("Đã lưu."), "success")
    else:
        flash_refusal(refusal, unseen=unseen)
    return refusal
