"""IDOR matrix: no outsider reaches another's dossier, document, decision, receipt or deadline (web and API).

Outsiders: the producer of another organisation, the officer of another commune, and a council member who does not
sit on the dossier's council. Every route that names a dossier or a decision is tried with every method, with a
plausible body, and must answer 403 or 404 and change nothing.
"""
from __future__ import annotations

import io

import pytest

from ocop_tracker.api.tokens import issue_api_token
from ocop_tracker.extensions import db

from ..factories import PDF, dossier_in_state
from .surface import build_surface, fetch, fingerprint, is_api, rules

OUTSIDERS = ("other_producer", "other_officer", "district_chair")
OBJECT_ARGUMENTS = {"dossier_id", "decision_id"}


UPLOADS = {"documents.upload", "decisions.attach_file"}


def _body(rule, surface, version: int) -> dict:
    """Enough of a form or JSON body that a view checking its input before its permission would let it through."""
    if is_api(rule):
        return {"json": {"version": version, "comment": "x", "assignee_id": None, "parts": {"A": 30, "B": 20, "C": 30},
                         "outcome": "accepted", "certificate_no": "VG-X", "issuer": "X"}}
    fields = {"version": version, "declared": "y", "comment": "x", "reason": "x", "grounds": "x", "kind": "label",
              "new_due_on": "2026-12-31", "assignee": surface.world["other_officer"].id}
    if rule.endpoint in UPLOADS:
        fields["file"] = (io.BytesIO(PDF), "x.pdf")
    return {"data": fields}


@pytest.mark.parametrize("victim_state", ["certified", "star_rating"])
def test_outsiders_get_403_or_404_on_every_route_of_anothers_objects(app, world, browser, victim_state):
    surface = build_surface(world)
    if victim_state != "certified":
        surface.dossier = dossier_in_state(world, victim_state)
        surface.values["dossier_id"] = surface.dossier.id
    tokens = {who: issue_api_token(world[who], actor=world[who])[0] for who in OUTSIDERS}
    db.session.commit()
    before = fingerprint(app)
    leaks, tried = [], 0
    for who in OUTSIDERS:
        client = browser(who)
        for rule in rules(app):
            if not rule.arguments & OBJECT_ARGUMENTS:
                continue
            path = surface.path(rule)
            headers = {"Authorization": f"Bearer {tokens[who]}"} if is_api(rule) else {}
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                extra = _body(rule, surface, surface.dossier.version) if method != "GET" else {}
                status = fetch(client, method, path, headers=headers, **extra).status_code
                tried += 1
                if status not in (403, 404):
                    leaks.append((who, method, path, status))
    assert leaks == []
    assert fingerprint(app) == before
    assert tried > 100
