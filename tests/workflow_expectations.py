"""The workflow of design.md, written out again by hand so the tests can catch a wrong table."""

# (state, event) → (who may fire it, the state it leads to for the test dossiers of factories.py)
ALLOWED = {
    ("draft", "submit"): ({"producer"}, "district_review"),
    ("draft", "withdraw"): ({"producer"}, "withdrawn"),
    ("vietgap", "verify_vietgap"): ({"officer"}, "district_review"),
    ("vietgap", "return"): ({"officer"}, "returned"),
    ("vietgap", "withdraw"): ({"producer"}, "withdrawn"),
    ("district_review", "forward"): ({"officer"}, "star_rating"),
    ("district_review", "return"): ({"officer"}, "returned"),
    ("district_review", "withdraw"): ({"producer"}, "withdrawn"),
    ("returned", "resubmit"): ({"producer"}, "district_review"),
    ("returned", "withdraw"): ({"producer"}, "withdrawn"),
    ("star_rating", "close_rating"): ({"chair"}, "certified"),
    ("central_review", "recognise"): ({"province_officer", "admin"}, "certified"),
    ("certified", "request_upgrade"): ({"producer"}, "upgrade"),
    ("certified", "request_re_rating"): ({"producer"}, "re_rating"),
    ("certified", "revoke"): ({"province_officer", "admin"}, "revoked"),
    ("certified", "expire"): ({"system"}, "expired"),
    ("upgrade", "submit"): ({"producer"}, "district_review"),
    ("upgrade", "cancel_round"): ({"producer"}, "certified"),
    ("re_rating", "submit"): ({"producer"}, "district_review"),
    ("re_rating", "cancel_round"): ({"producer"}, "certified"),
    ("not_recognised", "reopen"): ({"producer"}, "draft"),
    ("withdrawn", "reopen"): ({"producer"}, "draft"),
    ("expired", "reopen"): ({"producer"}, "draft"),
}

ALL_STATES = ["draft", "vietgap", "district_review", "returned", "star_rating", "central_review", "certified",
              "upgrade", "re_rating", "not_recognised", "withdrawn", "revoked", "expired"]
ALL_EVENTS = sorted({event for _, event in ALLOWED})
ACTORS = ["producer", "other_producer", "officer", "other_officer", "province_officer", "admin",
          "chair", "member", "other_chair", "system"]


def may_ever_fire(actor: str, event: str) -> bool:
    """Whether the actor's role and unit allow `event` in some state (else the answer is 403)."""
    return any(actor in who for (_, e), (who, _) in ALLOWED.items() if e == event)
