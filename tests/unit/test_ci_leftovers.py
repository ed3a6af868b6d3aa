"""CI's last check (.ci/leftovers.py) finds what a test left running with an empty environment: a process that
carries no ZMQPROSE_CI_RUN, below one that does (circusd's watcher, copy_env = false) or below the CI run's shell."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
KEEPER = ROOT / "tests" / "specs" / "faults" / "apps" / "session_keeper.py"


def leftovers() -> ModuleType:
    spec = importlib.util.spec_from_file_location("leftovers", ROOT / ".ci" / "leftovers.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def keeper(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """A process that carries a CI marker and has started a child with an empty environment in a session of its
    own: (the marker, the child's tag)."""
    marker, tag = f"1-{uuid.uuid4().hex}", uuid.uuid4().hex
    pidfile = tmp_path / "child.pid"
    process = subprocess.Popen([sys.executable, str(KEEPER), str(pidfile), tag], stdout=subprocess.PIPE,
                               env={**os.environ, "ZMQPROSE_CI_RUN": marker})
    try:
        assert process.stdout is not None and b"child" in process.stdout.readline()
        yield marker, tag
    finally:
        process.kill()
        process.wait(5)
        with contextlib.suppress(OSError, ValueError):
            os.kill(int(pidfile.read_text()), signal.SIGKILL)


def test_a_process_with_an_empty_environment_below_a_carrier_is_left_behind(keeper):
    marker, tag = keeper
    found = leftovers().left_behind(marker)
    assert [line for line in found if tag in line and "time.sleep(600)" in line], found  # the child
    assert [line for line in found if "session_keeper" in line], found


def test_a_process_with_an_empty_environment_below_the_ci_shell_is_left_behind():
    tag = uuid.uuid4().hex
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", tag], env={},
                             start_new_session=True)
    try:
        found = leftovers().left_behind(f"{os.getpid()}-{uuid.uuid4().hex}")
        assert [line for line in found if tag in line], found
    finally:
        child.kill()
        child.wait(5)
