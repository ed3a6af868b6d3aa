"""Spec-level tests: whole behave runs in processes of their own (faults, processes, another project,
parallel workers, trust). Marked ``slow``: ``pytest -m "not slow"`` runs the unit tests alone.

``behave_project`` writes a user's project in a temporary folder and ``run_behave`` runs behave in it, for the
modules that build one of their own."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import pytest

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.slow)


STEPS = "from zmqprose.steps import *  # noqa: F403\n"
HOOKS = "from zmqprose.hooks import *  # noqa: F403\n"


class BehaveRun(NamedTuple):
    """A whole behave run's exit code and what it printed, apart (some tests look at its stderr alone)."""

    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        """All it printed: stdout, then stderr."""
        return self.stdout + self.stderr


@pytest.fixture
def behave_project(tmp_path: Path) -> Callable[..., Path]:
    """Writes a project as a user's is, in ``tmp_path``: zmqprose's one-line steps file and environment.py, the
    settings (a 2 s timeout unless given) as environments/local.json, and each feature (dedented) in features/.
    Returns the folder; a test changes what it needs (its own environment.py) afterwards."""

    def write(features: dict[str, str], settings: dict[str, Any] | None = None) -> Path:
        for folder in ("steps", "environments", "features"):
            (tmp_path / folder).mkdir(exist_ok=True)
        (tmp_path / "steps" / "zmq_steps.py").write_text(STEPS)
        (tmp_path / "environment.py").write_text(HOOKS)
        local = settings if settings is not None else {"zmqprose": {"timeout": 2}}
        (tmp_path / "environments" / "local.json").write_text(json.dumps(local))
        for name, text in features.items():
            (tmp_path / "features" / name).write_text(textwrap.dedent(text))
        return tmp_path

    return write


@pytest.fixture
def run_behave() -> Callable[..., BehaveRun]:
    """Runs behave (``--no-color`` and the arguments given) in a folder, in a process of its own."""

    def run(folder: Path, *arguments: str) -> BehaveRun:
        ran = subprocess.run([sys.executable, "-m", "behave", "--no-color", *arguments],
                             cwd=folder, capture_output=True, text=True, timeout=120)
        return BehaveRun(ran.returncode, ran.stdout, ran.stderr)

    return run
