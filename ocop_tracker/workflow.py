"""The dossier workflow as data, and the one shared `transitions` machine.

No Flask and no database here: services feed a small context in and read the next state out.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from transitions import Machine, MachineError

from .refusals import Refusal

STATES = (
    "draft", "vietgap", "district_review", "returned", "provincial_review", "star_rating", "awaiting_decision",
    "central_review", "certified", "upgrade", "re_rating", "not_recognised", "withdrawn", "revoked", "expired",
)
# State groups: every module names a group of states through these, never by listing the states again.
# The producer prepares a round: edits the product, uploads, self-assesses and files it.
PREPARING = frozenset({"draft", "returned", "upgrade", "re_rating"})
# The first level (a commune, a district before July 2025) checks the file: VietGAP first, then the documents.
FIRST_LEVEL_CHECK = frozenset({"vietgap", "district_review"})
# The producer may still add document versions while the VietGAP certificate is being verified.
UPLOADS_OPEN = PREPARING | {"vietgap"}
# VietGAP has its own expiry: recorded while preparing, while verified, and renewed once certified (design.md).
VIETGAP_RECORDABLE = PREPARING | {"vietgap", "certified"}
# Filed and not yet decided: with an officer or the council, or returned for supplements.
IN_REVIEW = frozenset({"vietgap", "district_review", "returned", "provincial_review", "star_rating",
                       "awaiting_decision", "central_review"})
# In an evaluation batch and still waiting for the council's scores or the decision.
AWAITING_RESULT = frozenset({"star_rating", "awaiting_decision"})
# The dossier's certificate stays valid: a new round (upgrade, re-rating) does not end it.
HOLDING_CERTIFICATE = frozenset({"certified", "upgrade", "re_rating"})
# The producer may withdraw a file not yet before a council.
WITHDRAWABLE = frozenset({"draft", "vietgap", "district_review", "returned", "provincial_review"})
# The checks that may return a file for supplements (it goes back to the one that returned it).
RETURNABLE = frozenset({"vietgap", "district_review", "provincial_review"})
# Nothing happens any more until the producer reopens the dossier (no deadline runs, no reminder).
CLOSED = frozenset({"withdrawn", "revoked", "expired"})
# Ended without a certificate, or one that ended: the producer may start again from a draft.
REOPENABLE = frozenset({"not_recognised", "expired", "withdrawn"})
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
        *(Step("resubmit", "returned", state, PRODUCER, when=f"returned_from_{state}") for state in sorted(RETURNABLE)),
        Step("admit", "provincial_review", "star_rating", PROVINCIAL_OFFICER),
        *(Step("withdraw", state, "withdrawn", PRODUCER, unless="holds_certificate") for state in sorted(WITHDRAWABLE)),
        *(Step("withdraw", state, "certified", PRODUCER, when="holds_certificate") for state in sorted(WITHDRAWABLE)),
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
        *(Step("reopen", state, "draft", PRODUCER) for state in sorted(REOPENABLE)),
    ]


# Whose move it is in each state (open states only): the "waits for" of lists and queues.
COUNCIL = "council"
WAITING_FOR = {
    "draft": PRODUCER, "returned": PRODUCER, "upgrade": PRODUCER, "re_rating": PRODUCER,
    "vietgap": REVIEWING_OFFICER, "district_review": REVIEWING_OFFICER,
    "provincial_review": PROVINCIAL_OFFICER, "star_rating": COUNCIL, "awaiting_decision": DECIDING_OFFICER,
    "central_review": PROVINCIAL_OFFICER,
}
# Where an officer of one unit must act: the work queue assigns the dossier to one of them.
WITH_AN_OFFICER = frozenset(state for state, actor in WAITING_FOR.items()
                            if actor in (REVIEWING_OFFICER, PROVINCIAL_OFFICER, DECIDING_OFFICER))
# The main road of the workflow, drawn as the dossier's progress; the other states sit on it at OFF_ROAD's
# state (a returned file sits where it was returned from; a withdrawn one nowhere).
MAIN_ROAD = ("draft", "vietgap", "district_review", "provincial_review", "star_rating", "awaiting_decision",
             "central_review", "certified")
OFF_ROAD = {"upgrade": "draft", "re_rating": "draft", "not_recognised": "star_rating", "revoked": "certified",
            "expired": "certified"}

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


# The facts of WorkflowContext each event's branches look at (`returned_from_<state>` reads `returned_from`,
# `outcome_<state>` reads `outcome`): the one door works out only these.
EVENT_FACTS: dict[str, frozenset[str]] = {
    event: frozenset(condition.split("_")[0] if condition.startswith("outcome_") else
                     "returned_from" if condition.startswith("returned_from_") else condition
                     for step in STEPS if step.event == event for condition in (step.when, step.unless) if condition)
    for event in EVENTS}


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


class WorkflowError(Refusal):
    """A refused event; `code` and `status` are what the API reports."""

    code = "workflow_error"
    status = 400
    flash_category = "warning"


class NotPermitted(WorkflowError):
    code, status = "forbidden", 403


class EventNotAllowed(WorkflowError):
    code, status = "event_not_allowed", 409


class StaleVersion(WorkflowError):
    code, status = "stale_version", 409


class GuardFailed(WorkflowError):
    code, status = "guard_failed", 422
    flash_category = "danger"

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
