"""Signals between domains: a lower package fires one, the packages above it subscribe.

Subscribers are connected by `create_app` (`_connect_signals`), so the pages, the API and every command run them.
A subscriber runs inside the sender's transaction: it only adds and flushes, and an exception it raises
propagates to the sender, whose caller rolls the whole change back.
"""
from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Fired by `dossiers.services.apply_event` after the new state and its history row are flushed, once for each
# stage of TRANSITION_STAGES in that order (the stage is the sender), with keyword arguments
# `dossier`, `record` (the TransitionRecord), `given` (the EventInput) and `rules` (the RuleSet).
transition_applied = _signals.signal("transition-applied")

# The order matters: deadlines count from a certificate the event issued, and mails quote both.
TRANSITION_STAGES = ("certificates", "deadlines", "mails")

# Fired by the working-day calendar's services after an administrator's change is flushed (no arguments):
# whatever was counted on the calendar is counted again.
calendar_changed = _signals.signal("calendar-changed")
