"""Fixtures of the document tests."""
from __future__ import annotations

import pytest

from ocop_tracker.storage import current_storage


@pytest.fixture()
def stored_files(app):
    """The names in the app's storage right now."""
    return lambda: {name for name, _modified in current_storage().names()}
