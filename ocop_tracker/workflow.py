"""The dossier workflow as data, and the one shared `transitions` machine.

No Flask and no database here: services feed a small context in and read the next state out.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from transitions import Machine, MachineError

STATES = (
    "draft", "vietgap", "district_review", "returned", "provincial_review", "star_rating", "awaiting_decision",
    "central_review", "certified", "upgrade", "re_rating", "not_recognised", "withdrawn", "revoked", "expired",
)
CLOSED_STATES = frozenset({"withdrawn", "revoked", "expired"})
# State groups that pages, permissions and queries share.
PREPARING_STATES = ("draft", "returned", "upgrade", "re_rating")
WITHDRAWABLE_STATES = ("draft", "vietgap", "district_review", "returned", "provincial_review")
RETURNABLE_STATES = ("vietgap", "district_review", "provincial_review")
# Where close_rating, recognise and decide may lead; the service works out which from the scores and the decision.
OUTCOMES = {
    "close_rating": ("awaiting_decision", "provincial_review", "central_review", "not_recognised", "certified"),
    "recognise": ("certified", "awaiting_decision", "not_recognised"),
    "decide": ("certified", "not_recognised"),
}

# Who may fire an event: the name of a predicate in dossiers/permissions.py.
PRODUCER = "producer"
REVIEWING_OFFICER = "reviewing_officer"  # the first level: the commune (a district before July 2025)
PROVINCIAL_OFFICER = "provincial_officer"
COUNCIL_CHAIR = "council_chair"
DECIDING_OFFICER = "deciding_officer"  # an officer of the level whose chairman decides
RECOGNISING_OFFICER = "recognising_officer"  # an officer of the level that recognised the certificate
SYSTEM = "system"


@dataclass(frozen=True)
class Step:
    """One arrow of the workflow: `actor` may fire `event` to move `source` to `dest` when `when` holds."""

    event: str
    source: str
    dest: str
    actor: str
    when: str | None = None
    unless: str | None = None


def _steps() -> list[Step]:
    return [
        Step("submit", "draft", "vietgap", PRODUCER, when="vietgap_stage"),
        Step("submit", "draft", "district_review", PRODUCER, unless="vietgap_stage"),
        Step("submit", "upgrade", "district_review", PRODUCER),
        Step("submit", "re_rating", "district_review", PRODUCER),
        Step("verify_vietgap", "vietgap", "district_review", REVIEWING_OFFICER),
        Step("return", "vietgap", "returned", REVIEWING_OFFICER),
        Step("return", "district_review", "returned", REVIEWING_OFFICER),
        Step("return", "provincial_review", "returned", PROVINCIAL_OFFICER),
        Step("forward", "district_review", "star_rating", REVIEWING_OFFICER, unless="forwards_to_province"),
        Step("forward", "district_review", "provincial_review", REVIEWING_OFFICER, when="forwards_to_province"),
        *(Step("resubmit", "returned", state, PRODUCER, when=f"returned_from_{state}") for state in RETURNABLE_STATES),
        Step("admit", "provincial_review", "star_rating", PROVINCIAL_OFFICER),
        *(Step("withdraw", state, "withdrawn", PRODUCER, unless="holds_certificate") for state in WITHDRAWABLE_STATES),
        *(Step("withdraw", state, "certified", PRODUCER, when="holds_certificate") for state in WITHDRAWABLE_STATES),
        *(Step("close_rating", "star_rating", dest, COUNCIL_CHAIR, when=f"outcome_{dest}")
          for dest in OUTCOMES["close_rating"]),
        *(Step("recognise", "central_review", dest, PROVINCIAL_OFFICER, when=f"outcome_{dest}")
          for dest in OUTCOMES["recognise"]),
        *(Step("decide", "awaiting_decision", dest, DECIDING_OFFICER, when=f"outcome_{dest}")
          for dest in OUTCOMES["decide"]),
        Step("request_upgrade", "certified", "upgrade", PRODUCER),
        Step("request_re_rating", "certified", "re_rating", PRODUCER),
        Step("revoke", "certified", "revoked", RECOGNISING_OFFICER),
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
    "provincial_review": PROVINCIAL_OFFICER, "star_rating": COUNCIL, "awaiting_decision": DECIDING_OFFICER,
    "central_review": PROVINCIAL_OFFICER,
}

STEPS: tuple[Step, ...] = tuple(_steps())
EVENTS: tuple[str, ...] = tuple(dict.fromkeys(step.event for step in STEPS))
# Every actor that may fire an event in some state, and the actors of each (state, event).
EVENT_ACTORS: dict[str, frozenset[str]] = {
    event: frozenset(step.actor for step in STEPS if step.event == event) for event in EVENTS}
STEP_ACTORS: dict[tuple[str, str], frozenset[str]] = {
    (step.source, step.event): frozenset(s.actor for s in STEPS if (s.source, s.event) == (step.source, step.event))
    for step in STEPS}
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
    forwards_to_province: bool = False
    holds_certificate: bool = False
    outcome: str | None = field(default=None)  # where the scores or the decision lead (see OUTCOMES)

    def __getattr__(self, name: str) -> bool:
        # The machine's conditions `returned_from_<state>` and `outcome_<state>`, read from the two fields.
        for prefix, value in (("returned_from_", "returned_from"), ("outcome_", "outcome")):
            if name.startswith(prefix):
                return self.__dict__.get(value) == name.removeprefix(prefix)
        raise AttributeError(name)


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
