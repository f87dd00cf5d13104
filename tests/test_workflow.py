"""The workflow module: names from design.md, one machine, branches chosen by context."""
import pytest

from ocop_tracker.workflow import (EVENTS_FROM, MACHINE, STATES, EventNotAllowed, WorkflowContext,
                                   destinations, next_state)

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
    (WorkflowContext("star_rating", rating_outcome="central_review"), "close_rating", "central_review"),
    (WorkflowContext("star_rating", rating_outcome="not_recognised"), "close_rating", "not_recognised"),
])
def test_branches_follow_the_context(context, event, expected):
    assert next_state(context, event) == expected


def test_event_outside_its_state_is_refused():
    with pytest.raises(EventNotAllowed):
        next_state(WorkflowContext("revoked"), "reopen")
    assert destinations("revoked", "reopen") == frozenset()
