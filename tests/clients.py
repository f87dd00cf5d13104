"""Test clients that behave like separate browsers, and the session that keeps a test inside one transaction."""
from __future__ import annotations

from typing import ClassVar

import pytest
from flask import Flask, current_app
from flask.testing import FlaskClient
from sqlalchemy.engine import Connection
from sqlalchemy.orm import sessionmaker

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
            response = super().open(*args, **kwargs)
        _responses.append(response)  # a sent file stays open until its response is closed
        return response


_responses: list = []


def close_responses() -> None:
    """Close every response of the test that ends: send_file's open files, and the temporary file Werkzeug's
    test client writes a large upload's body to (no ResourceWarning)."""
    while _responses:
        response = _responses.pop()
        response.close()
        response.request.input_stream.close()


class Joined:
    """The app and the connection (in a transaction) whose sessions join it, while a test runs rolled back."""

    app_and_connection: ClassVar[tuple[Flask, Connection] | None] = None


def join_sessions_of(factory: sessionmaker) -> None:
    """SQLAlchemy's recipe for joining a session into an external transaction, for test suites, on
    Flask-SQLAlchemy's session, which picks the app's engine even when given a connection: while `Joined` names an
    app, that app's sessions use its connection, and (join_transaction_mode="create_savepoint") their commits and
    rollbacks only end savepoints inside the test's transaction. The factory's own class is patched, not replaced:
    the app's session event listeners (files of rolled-back uploads, …) are registered on it."""
    session_class = factory.class_
    if getattr(session_class, "joins_tests", False):
        return
    inherited = session_class.get_bind

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        joined = Joined.app_and_connection
        if bind is None and joined is not None and current_app._get_current_object() is joined[0]:
            return joined[1]
        return inherited(self, mapper=mapper, clause=clause, bind=bind, **kwargs)

    session_class.get_bind, session_class.joins_tests = get_bind, True
    factory.configure(join_transaction_mode="create_savepoint")


@pytest.fixture()
def browser(app):
    """A factory of further signed-in browsers."""
    def signed_in(username: str, password: str = PASSWORD) -> FlaskClient:
        other = app.test_client()
        assert other.post("/login", data={"username": username, "password": password}).status_code == 302
        return other
    return signed_in
