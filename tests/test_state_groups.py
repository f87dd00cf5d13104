"""The named state groups in workflow.py agree with the transition table they summarise."""
from __future__ import annotations

from ocop_tracker.dossiers.permissions import HANDLERS
from ocop_tracker.workflow import (
    CLOSED,
    EVENTS_FROM,
    FIRST_LEVEL_CHECK,
    HOLDING_CERTIFICATE,
    IN_REVIEW,
    MAIN_ROAD,
    OFF_ROAD,
    PREPARING,
    PRODUCER,
    REOPENABLE,
    RETURNABLE,
    REVIEWING_OFFICER,
    STATES,
    STEPS,
    UPLOADS_OPEN,
    VIETGAP_RECORDABLE,
    WAITING_FOR,
    WITH_AN_OFFICER,
    WITHDRAWABLE,
)


def _sources(event: str) -> set[str]:
    return {step.source for step in STEPS if step.event == event}


def test_preparing_is_where_the_producer_has_the_move():
    assert PREPARING == {state for state, actor in WAITING_FOR.items() if actor == PRODUCER}
    assert PREPARING == _sources("submit") | _sources("resubmit")


def test_first_level_check_is_where_the_reviewing_officer_has_the_move():
    assert FIRST_LEVEL_CHECK == {state for state, actor in WAITING_FOR.items() if actor == REVIEWING_OFFICER}


def test_event_groups_are_the_sources_of_their_events():
    assert WITHDRAWABLE == _sources("withdraw")
    assert RETURNABLE == _sources("return")
    assert REOPENABLE == _sources("reopen")


def test_in_review_is_every_open_state_after_filing_and_before_the_outcome():
    assert IN_REVIEW == (set(WAITING_FOR) - PREPARING) | {"returned"}


def test_closed_states_lead_nowhere_but_back_to_a_draft():
    assert all(set(EVENTS_FROM[state]) <= {"reopen"} for state in CLOSED)
    assert not CLOSED & (set(WAITING_FOR) | HOLDING_CERTIFICATE)


def test_recording_and_uploading_include_every_preparing_state():
    assert PREPARING < UPLOADS_OPEN < VIETGAP_RECORDABLE
    assert VIETGAP_RECORDABLE - PREPARING == {"vietgap", "certified"}


def test_the_work_queue_assigns_in_every_state_an_officer_must_act_in():
    assert set(HANDLERS) == WITH_AN_OFFICER == {"vietgap", "district_review", "provincial_review",
                                                 "awaiting_decision", "central_review"}


def test_every_state_has_a_place_on_the_progress_picture_or_is_off_it_by_design():
    placed = set(MAIN_ROAD) | set(OFF_ROAD) | {"returned", "withdrawn"}  # returned: where it came from
    assert placed == set(STATES) and set(OFF_ROAD.values()) <= set(MAIN_ROAD)
