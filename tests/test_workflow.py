"""The workflow module: names from design.md, one machine, branches chosen by context."""
import pytest

from ocop_tracker.workflow import (
    EVENTS_FROM,
    MACHINE,
    STATES,
    EventNotAllowed,
    WorkflowContext,
    destinations,
    next_state,
)

from .workflow_expectations import ALL_STATES, ALLOWED


def test_states_and_events_match_the_design():
    assert list(STATES) == ALL_STATES
    assert {(s, e) for s in STATES for e in EVENTS_FROM[s]} == set(ALLOWED)


def test_no_automatic_to_state_shortcuts():
    assert not any(name.startswith("to_") for name in MACHINE.events)


@pytest.mark.parametrize(("context", "event", "expected"), [
    (WorkflowContext("draft", vietgap_stage=True), "submit", "vietgap"),
    (WorkflowContext("draft", vietgap_stage=False), "submit", "district_review"),
    (WorkflowContext("returned", returned_from="vietgap"), "resubmit", "vietgap"),
    (WorkflowContext("returned", returned_from="district_review"), "resubmit", "district_review"),
    (WorkflowContext("returned", returned_from="provincial_review"), "resubmit", "provincial_review"),
    (WorkflowContext("district_review", forwards_to_province=True), "forward", "provincial_review"),
    (WorkflowContext("district_review", forwards_to_province=False), "forward", "star_rating"),
    (WorkflowContext("star_rating", outcome="awaiting_decision"), "close_rating", "awaiting_decision"),
    (WorkflowContext("star_rating", outcome="provincial_review"), "close_rating", "provincial_review"),
    (WorkflowContext("star_rating", outcome="central_review"), "close_rating", "central_review"),
    (WorkflowContext("star_rating", outcome="not_recognised"), "close_rating", "not_recognised"),
    (WorkflowContext("star_rating", outcome="certified"), "close_rating", "certified"),
    (WorkflowContext("central_review", outcome="awaiting_decision"), "recognise", "awaiting_decision"),
    (WorkflowContext("awaiting_decision", outcome="not_recognised"), "decide", "not_recognised"),
    (WorkflowContext("provincial_review", holds_certificate=True), "withdraw", "certified"),
    (WorkflowContext("provincial_review", holds_certificate=False), "withdraw", "withdrawn"),
])
def test_branches_follow_the_context(context, event, expected):
    assert next_state(context, event) == expected


def test_a_scored_event_without_an_outcome_has_no_branch():
    with pytest.raises(EventNotAllowed):
        next_state(WorkflowContext("star_rating"), "close_rating")


def test_event_outside_its_state_is_refused():
    with pytest.raises(EventNotAllowed):
        next_state(WorkflowContext("revoked"), "reopen")
    assert destinations("revoked", "reopen") == frozenset()
