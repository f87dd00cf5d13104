"""The workflow of design.md, written out again by hand so the tests can catch a wrong table.

For rounds filed under today's commune-era rule sets (qd1489, qd26), with the actors of factories.build_world.
"""

PROVINCE = {"province_officer", "admin"}

# (state, event) → (who may fire it, the state it leads to for the test dossiers of factories.py)
ALLOWED = {
    ("draft", "submit"): ({"producer"}, "district_review"),
    ("draft", "withdraw"): ({"producer"}, "withdrawn"),
    ("vietgap", "verify_vietgap"): ({"officer"}, "district_review"),
    ("vietgap", "return"): ({"officer"}, "returned"),
    ("vietgap", "withdraw"): ({"producer"}, "withdrawn"),
    ("district_review", "forward"): ({"officer"}, "provincial_review"),
    ("district_review", "return"): ({"officer"}, "returned"),
    ("district_review", "withdraw"): ({"producer"}, "withdrawn"),
    ("returned", "resubmit"): ({"producer"}, "district_review"),
    ("returned", "withdraw"): ({"producer"}, "withdrawn"),
    ("provincial_review", "admit"): (PROVINCE, "star_rating"),
    ("provincial_review", "return"): (PROVINCE, "returned"),
    ("provincial_review", "withdraw"): ({"producer"}, "withdrawn"),
    ("star_rating", "close_rating"): ({"chair"}, "awaiting_decision"),
    ("awaiting_decision", "decide"): (PROVINCE, "certified"),
    ("central_review", "recognise"): (PROVINCE, "certified"),
    ("certified", "request_upgrade"): ({"producer"}, "upgrade"),
    ("certified", "request_re_rating"): ({"producer"}, "re_rating"),
    ("certified", "revoke"): (PROVINCE, "revoked"),
    ("certified", "expire"): ({"system"}, "expired"),
    ("upgrade", "submit"): ({"producer"}, "district_review"),
    ("upgrade", "cancel_round"): ({"producer"}, "certified"),
    ("re_rating", "submit"): ({"producer"}, "district_review"),
    ("re_rating", "cancel_round"): ({"producer"}, "certified"),
    ("not_recognised", "reopen"): ({"producer"}, "draft"),
    ("withdrawn", "reopen"): ({"producer"}, "draft"),
    ("expired", "reopen"): ({"producer"}, "draft"),
}

ALL_STATES = ["draft", "vietgap", "district_review", "returned", "provincial_review", "star_rating",
              "awaiting_decision", "central_review", "certified", "upgrade", "re_rating", "not_recognised",
              "withdrawn", "revoked", "expired"]
ALL_EVENTS = sorted({event for _, event in ALLOWED})
ACTORS = ["producer", "other_producer", "officer", "other_officer", "district_officer", "province_officer", "admin",
          "chair", "member", "district_chair", "system"]


def may_ever_fire(actor: str, event: str) -> bool:
    """Whether the actor's role and unit allow `event` in some state."""
    return any(actor in who for (_, e), (who, _) in ALLOWED.items() if e == event)


def expected_refusal(actor: str, state: str, event: str) -> str:
    """403 when the state has the event but not for this actor, or the actor never may; else 409."""
    if (state, event) in ALLOWED or not may_ever_fire(actor, event):
        return "NotPermitted"
    return "EventNotAllowed"
