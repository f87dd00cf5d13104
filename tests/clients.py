"""Test clients that behave like separate browsers."""
from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from ocop_tracker.extensions import db

from .factories import PASSWORD


class SeparateRequestsClient(FlaskClient):
    """Each request in its own app context, as in production.

    The `app` fixture keeps one app context open, and Flask reuses it for test requests; Flask-Login caches the
    signed-in user (and Flask-Babel the language) on `g`, so one browser's user would leak into the next request.
    """

    def open(self, *args, **kwargs):
        db.session.commit()  # the test's own session: its setup becomes visible and SQLite's write lock is freed
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture()
def browser(app):
    """A factory of further signed-in browsers."""
    def signed_in(username: str, password: str = PASSWORD) -> FlaskClient:
        other = app.test_client()
        assert other.post("/login", data={"username": username, "password": password}).status_code == 302
        return other
    return signed_in
