"""Web addresses renamed so that one act has one word (issue 12): the old ones answer 308 with the new one.

308 keeps the method and the body, so an old bookmark (GET) and an old form or script (POST) both still work.
"""
from __future__ import annotations

from flask import Blueprint, redirect, request, url_for

bp = Blueprint("moved", __name__)

# old path → the endpoint that serves it now
MOVED = {
    "/dossiers/new": "dossiers.open",
    "/decisions/new": "decisions.record",
    "/batches/new": "batches.open",
}


def _redirect_to(endpoint: str):
    def moved():
        query = request.query_string.decode()
        return redirect(url_for(endpoint) + (f"?{query}" if query else ""), 308)
    return moved


for _old, _endpoint in MOVED.items():
    bp.add_url_rule(_old, endpoint=_old.strip("/").replace("/", "_"), view_func=_redirect_to(_endpoint),
                    methods=["GET", "POST"])
