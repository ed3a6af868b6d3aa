"""Shared fixtures: a prose object with real sockets, and settings written to a temporary folder.

The ``prose`` fixture here is the prose API with a short default wait; the plugin's own ``prose``
fixture (zmqprose.pytest_plugin, switched off here by ``-p no:zmqprose``) is tested in-process by
pytester in ``unit/test_pytest_plugin.py``, as a project that installs zmqprose gets it.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

from zmqprose import Prose, Settings

# No time limit per example: machines are shared and noisy, and the first example of a format pays for its
# import (Jupyter's, 0.6 s once). Speed is measured in bench/, never by a test's clock.
settings.register_profile("zmqprose", deadline=None)
settings.load_profile("zmqprose")


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


@pytest.fixture(autouse=True, scope="session")
def runs_keep_their_folders_in_pytests_own(tmp_path_factory):
    """A failed run keeps its folder on purpose (apps' logs, commands' output): the fault suite's
    runs fail by design, so every run of this session, in-process or not, makes its folder in
    pytest's own temporary folder instead of the system's."""
    folder = str(tmp_path_factory.mktemp("runs"))
    before = os.environ.get("TMPDIR"), tempfile.tempdir
    os.environ["TMPDIR"] = tempfile.tempdir = folder
    yield
    if before[0] is None:
        del os.environ["TMPDIR"]
    else:
        os.environ["TMPDIR"] = before[0]
    tempfile.tempdir = before[1]
