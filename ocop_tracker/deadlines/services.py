"""Opening, meeting and extending a dossier's legal time limits (filled in by the deadlines work)."""
from __future__ import annotations


def sync_deadlines(dossier, record, given, rules) -> None:
    """Called by apply_event after every event, inside its transaction: open and meet the round's deadlines."""
    return None
