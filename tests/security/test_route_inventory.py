"""No route appears unreviewed, and every route that is not public refuses an anonymous caller (issue 11)."""
from __future__ import annotations

from ocop_tracker.accounts.views import PUBLIC_ENDPOINTS
from ocop_tracker.api.views import OPEN_ENDPOINTS

from .route_table import PUBLIC, ROUTES, SIGNED_IN, TOKEN
from .surface import build_surface, fetch, is_api, rules

API_ID = "<int(max=2147483647):"


def _access(rule) -> str:
    """Who may call the rule, as the app's own allow-lists say."""
    if rule.endpoint in PUBLIC_ENDPOINTS | OPEN_ENDPOINTS:
        return PUBLIC
    return TOKEN if is_api(rule) else SIGNED_IN


def _methods(rule) -> list[str]:
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def test_every_route_is_in_the_reviewed_table(app):
    found = {(rule.rule.replace(API_ID, "<id:"), " ".join(_methods(rule)), rule.endpoint, _access(rule))
             for rule in app.url_map.iter_rules()}
    assert sorted(found - ROUTES) == [], "a route (or its access) changed: review it, then update route_table.py"
    assert sorted(ROUTES - found) == [], "a reviewed route is gone: take it out of route_table.py"


def test_anonymous_callers_are_sent_to_sign_in_on_every_route_that_is_not_public(app, world):
    surface = build_surface(world)  # real ids: the refusal must come before any object is looked at
    client = app.test_client()
    wrong = []
    for rule in rules(app):
        path = surface.path(rule)
        for method in _methods(rule):
            response = fetch(client, method, path)
            status, access = response.status_code, _access(rule)
            refused = (access == SIGNED_IN and status == 302 and response.location.startswith("/login")
                       or access == TOKEN and status == 401
                       and response.get_json()["error"]["code"] == "token_required")
            if not (refused if access != PUBLIC else status < 500):
                wrong.append((method, path, access, status))
    assert wrong == []
