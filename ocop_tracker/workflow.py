"""The dossier workflow as data, and the one shared `transitions` machine.

No Flask and no database here: services feed a small context in and read the next state out.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from transitions import Machine, MachineError

STATES = (
    "draft", "vietgap", "district_review", "returned", "star_rating", "central_review",
    "certified", "upgrade", "re_rating", "not_recognised", "withdrawn", "revoked", "expired",
)
CLOSED_STATES = frozenset({"withdrawn", "revoked", "expired"})

# Who may fire an event: the name of a predicate in dossiers/permissions.py.
PRODUCER = "producer"
REVIEWING_OFFICER = "reviewing_officer"
COUNCIL_CHAIR = "council_chair"
PROVINCIAL_OFFICER = "provincial_officer"
SYSTEM = "system"


@dataclass(frozen=True)
class Step:
    """One arrow of the workflow: `event` moves `source` to `dest` when `when` holds."""

    event: str
    source: str
    dest: str
    actor: str
    when: str | None = None
    unless: str | None = None


def _steps() -> list[Step]:
    withdrawable = ("draft", "vietgap", "district_review", "returned")
    return [
        Step("submit", "draft", "vietgap", PRODUCER, when="vietgap_stage"),
        Step("submit", "draft", "district_review", PRODUCER, unless="vietgap_stage"),
        Step("submit", "upgrade", "district_review", PRODUCER),
        Step("submit", "re_rating", "district_review", PRODUCER),
        Step("verify_vietgap", "vietgap", "district_review", REVIEWING_OFFICER),
        Step("return", "vietgap", "returned", REVIEWING_OFFICER),
        Step("return", "district_review", "returned", REVIEWING_OFFICER),
        Step("forward", "district_review", "star_rating", REVIEWING_OFFICER),
        Step("resubmit", "returned", "vietgap", PRODUCER, when="returned_from_vietgap"),
        Step("resubmit", "returned", "district_review", PRODUCER, unless="returned_from_vietgap"),
        *(Step("withdraw", state, "withdrawn", PRODUCER) for state in withdrawable),
        Step("close_rating", "star_rating", "certified", COUNCIL_CHAIR, when="rating_certifies"),
        Step("close_rating", "star_rating", "central_review", COUNCIL_CHAIR, when="rating_goes_central"),
        Step("close_rating", "star_rating", "not_recognised", COUNCIL_CHAIR, when="rating_fails"),
        Step("recognise", "central_review", "certified", PROVINCIAL_OFFICER),
        Step("request_upgrade", "certified", "upgrade", PRODUCER),
        Step("request_re_rating", "certified", "re_rating", PRODUCER),
        Step("revoke", "certified", "revoked", PROVINCIAL_OFFICER),
        Step("expire", "certified", "expired", SYSTEM),
        Step("cancel_round", "upgrade", "certified", PRODUCER),
        Step("cancel_round", "re_rating", "certified", PRODUCER),
        *(Step("reopen", state, "draft", PRODUCER) for state in ("not_recognised", "expired", "withdrawn")),
    ]


# Whose move it is in each state (open states only): the "waits for" of lists and queues.
COUNCIL = "council"
WAITING_FOR = {
    "draft": PRODUCER, "returned": PRODUCER, "upgrade": PRODUCER, "re_rating": PRODUCER,
    "vietgap": REVIEWING_OFFICER, "district_review": REVIEWING_OFFICER,
    "star_rating": COUNCIL, "central_review": PROVINCIAL_OFFICER,
}

STEPS: tuple[Step, ...] = tuple(_steps())
EVENTS: tuple[str, ...] = tuple(dict.fromkeys(step.event for step in STEPS))
EVENT_ACTOR: dict[str, str] = {step.event: step.actor for step in STEPS}
EVENTS_FROM: dict[str, tuple[str, ...]] = {
    state: tuple(dict.fromkeys(s.event for s in STEPS if s.source == state)) for state in STATES
}


def destinations(state: str, event: str) -> frozenset[str]:
    """Every state `event` can lead to from `state` (empty when not allowed)."""
    return frozenset(s.dest for s in STEPS if s.source == state and s.event == event)


@dataclass
class WorkflowContext:
    """What the machine may look at: the state and the facts that choose a branch."""

    state: str
    vietgap_stage: bool = False
    returned_from: str | None = None
    rating_outcome: str | None = field(default=None)

    @property
    def returned_from_vietgap(self) -> bool:
        return self.returned_from == "vietgap"

    @property
    def rating_certifies(self) -> bool:
        return self.rating_outcome == "certified"

    @property
    def rating_goes_central(self) -> bool:
        return self.rating_outcome == "central_review"

    @property
    def rating_fails(self) -> bool:
        return self.rating_outcome == "not_recognised"


def _machine_transition(step: Step) -> dict[str, Any]:
    spec: dict[str, Any] = {"trigger": step.event, "source": step.source, "dest": step.dest}
    if step.when:
        spec["conditions"] = step.when
    if step.unless:
        spec["unless"] = step.unless
    return spec


# The one machine: it holds no model, so a list page never builds one per row.
MACHINE = Machine(
    model=None,
    states=list(STATES),
    transitions=[_machine_transition(step) for step in STEPS],
    initial="draft",
    auto_transitions=False,
)


class WorkflowError(Exception):
    """A refused event; `code` and `status` are what the API reports."""

    code = "workflow_error"
    status = 400

    def __init__(self, message: str, details: dict | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or {}


class NotPermitted(WorkflowError):
    code, status = "forbidden", 403


class EventNotAllowed(WorkflowError):
    code, status = "event_not_allowed", 409


class StaleVersion(WorkflowError):
    code, status = "stale_version", 409


class GuardFailed(WorkflowError):
    code, status = "guard_failed", 422

    def __init__(self, message: str, missing: list[str]):
        super().__init__(message, {"missing": missing})
        self.missing = missing


def next_state(context: WorkflowContext, event: str) -> str:
    """Run `event` on the shared machine and return the state it leads to."""
    try:
        moved = MACHINE.events[event].trigger(context)
    except (KeyError, MachineError) as exc:
        raise EventNotAllowed(f"'{event}' is not allowed in state '{context.state}'") from exc
    if not moved:
        raise EventNotAllowed(f"'{event}' has no branch for this dossier in '{context.state}'")
    return context.state
