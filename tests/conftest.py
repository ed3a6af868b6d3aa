"""Shared fixtures: a prose object with real sockets, and settings written to a temporary folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zmqprose import Prose, Settings


@pytest.fixture
def prose():
    """A prose object with a short default wait, closed after the test."""
    with Prose(Settings({"zmqprose": {"timeout": 2}}), timeout=2) as prose:
        yield prose


@pytest.fixture
def write_settings(tmp_path):
    """Write settings files into a temporary environments folder; returns the folder."""

    def write(**files: object) -> Path:
        for name, content in files.items():
            text = content if isinstance(content, str) else json.dumps(content)
            (tmp_path / f"{name}.json").write_text(text)
        return tmp_path

    return write
