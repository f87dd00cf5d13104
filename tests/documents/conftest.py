"""Fixtures of the document tests."""
from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture()
def stored_files(app):
    """The names in the instance upload folder right now."""
    folder = Path(app.instance_path) / "uploads"
    return lambda: {path.name for path in folder.iterdir()} if folder.exists() else set()
