"""`send-summaries` for every recipient: users read BATCH_SIZE at a time in id order (keyset, never all at once),
what a batch already has in the outbox read in one statement, one commit per batch; a user whose summary fails
is rolled back alone (a savepoint each) and counted, and the batch goes on."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from ..accounts.models import User
from ..extensions import db
from ..summaries.services import Summary, build_summary, period_bounds
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


def _recipients_after(last_id: int, size: int) -> list[User]:
    """The next active users with an address, in id order after `last_id`."""
    return list(db.session.scalars(db.select(User).where(
        User.active.is_(True), User.email.is_not(None), User.email != "", User.id > last_id)
        .order_by(User.id).limit(size)))


def _already_queued(keys: list[str]) -> set[str]:
    return set(db.session.scalars(db.select(OutboxMail.dedupe_key).where(OutboxMail.dedupe_key.in_(keys))))


def _summarise(user: User, period: str, today: date, since: date, key: str, shared: dict) -> bool:
    """Queue the user's summary under `key`; False when it has nothing to say."""
    summary = build_summary(user, today, since, period, shared=shared)
    if not worth_sending(summary, period):
        return False
    queue_mail(user, kind=f"summary.{period}", subject=summary.subject, text=summary.text, html=summary.html,
               dedupe_key=key, new_key=True)
    return True


def send_summaries(period: str, today: date, batch_size: int = BATCH_SIZE) -> SummaryRun:
    """Queue the period's summary for every active user with an address, once per user and period."""
    run, last_id = SummaryRun(), 0
    start, since = period_bounds(period, today)
    while users := _recipients_after(last_id, batch_size):
        last_id = users[-1].id
        keys = {user.id: f"summary:{period}:{start.isoformat()}:{user.id}" for user in users}
        queued_before = _already_queued(list(keys.values()))
        shared: dict = {}  # a unit's sections, for its next officer in the batch (kept for one batch only)
        for user in users:
            if keys[user.id] in queued_before:
                run.already += 1
                continue
            try:
                with db.session.begin_nested():  # a failure takes back this user's mail alone
                    sent = _summarise(user, period, today, since, keys[user.id], shared)
            except Exception:
                log.exception("summary for user %s failed", user.id)
                run.failed += 1
                continue
            run.queued, run.quiet = run.queued + sent, run.quiet + (not sent)
        db.session.commit()
    return run
