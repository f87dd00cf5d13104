"""`send-summaries` for every recipient: users read BATCH_SIZE at a time by role, unit and id (keyset, never all at
once), what a batch already has in the outbox read in one statement, the sections of a batch's users of one language
built together (summaries.services.batch_sections), one commit per batch; a user whose summary fails is rolled back
alone (a savepoint each) and counted, and the batch goes on."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from flask_babel import force_locale
from sqlalchemy import func, tuple_
from sqlalchemy.orm import joinedload

from ..accounts.models import User
from ..extensions import db
from ..summaries.services import Summary, batch_sections, build_summary, period_bounds, reported
from .models import OutboxMail
from .services import queue_mail

log = logging.getLogger(__name__)
BATCH_SIZE = 500


@dataclass
class SummaryRun:
    queued: int = 0
    quiet: int = 0  # nothing to say this period
    already: int = 0  # queued by an earlier run of the same period
    failed: int = 0


def worth_sending(summary: Summary, period: str) -> bool:
    """A daily mail only when something waits or happened, else it is noise; the weekly one always goes,
    so that "nothing waits for you" is said at least once a week and a silent mailbox never means a broken sender."""
    return period == "weekly" or bool(summary.waiting or summary.news)


def _order():
    """The run's order: by role, then unit, then id, so that the people of one scope (a unit's officers) fall in
    one batch and a batch of officers is a batch of units (summaries/officers.py)."""
    return User.role, func.coalesce(User.unit_id, 0), User.id


def _recipients_after(last: tuple | None, size: int) -> list[User]:
    """The next active users with an address, in the run's order after `last` (keyset: never all at once), their
    unit and organisation loaded alongside."""
    statement = db.select(User).where(User.active.is_(True), User.email.is_not(None), User.email != "")
    if last is not None:
        statement = statement.where(tuple_(*_order()) > tuple_(*last))
    return list(db.session.scalars(statement.order_by(*_order()).limit(size)
                                   .options(joinedload(User.unit), joinedload(User.organisation))))


def _already_queued(keys: list[str]) -> set[str]:
    return set(db.session.scalars(db.select(OutboxMail.dedupe_key).where(OutboxMail.dedupe_key.in_(keys))))


def _summarise(user: User, period: str, today: date, since: date, key: str, sections: list | None) -> bool:
    """Queue the user's summary under `key`; False when it has nothing to say."""
    summary = build_summary(user, today, since, period, sections=sections)
    if not worth_sending(summary, period):
        return False
    queue_mail(user, kind=f"summary.{period}", subject=summary.subject, text=summary.text, html=summary.html,
               dedupe_key=key, new_key=True)
    return True


def _prepared(users: list[User], today: date, since: date, period: str) -> dict[int, list]:
    """The sections of a batch's users of one language, built together; nothing when that fails (each user's are
    then built alone, and a failing one is rolled back and counted alone)."""
    days = reported(today, since, period)[1]
    try:
        with db.session.begin_nested(), force_locale(users[0].locale or "vi"):
            return batch_sections(users, today, days)
    except Exception:
        log.exception("summaries of %d users built together failed; building them one by one", len(users))
        return {}


def send_summaries(period: str, today: date, batch_size: int = BATCH_SIZE) -> SummaryRun:
    """Queue the period's summary for every active user with an address, once per user and period."""
    run, last = SummaryRun(), None
    start, since = period_bounds(period, today)
    while users := _recipients_after(last, batch_size):
        last = (users[-1].role, users[-1].unit_id or 0, users[-1].id)
        keys = {user.id: f"summary:{period}:{start.isoformat()}:{user.id}" for user in users}
        queued_before = _already_queued(list(keys.values()))
        todo = [user for user in users if keys[user.id] not in queued_before]
        run.already += len(users) - len(todo)
        by_locale: dict[str, list[User]] = {}
        for user in todo:
            by_locale.setdefault(user.locale or "vi", []).append(user)
        for group in by_locale.values():
            prepared = _prepared(group, today, since, period)
            for user in group:
                try:
                    with db.session.begin_nested():  # a failure takes back this user's mail alone
                        sent = _summarise(user, period, today, since, keys[user.id], prepared.get(user.id))
                except Exception:
                    log.exception("summary for user %s failed", user.id)
                    run.failed += 1
                    continue
                run.queued, run.quiet = run.queued + sent, run.quiet + (not sent)
        db.session.commit()
    return run
