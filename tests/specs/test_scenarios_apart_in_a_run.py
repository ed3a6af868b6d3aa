"""Scenarios are apart in a whole behave run (issue 27): nothing one scenario sent, subscribed or started
reaches the next, inproc included, nor outlives it; and a run whose folder something removed says so.

Each test failed before its fix: the next scenario received what the first had sent over inproc (and saw
its subscription), a daemon an app of the first scenario had started pushed into the next one's socket,
and a removed run folder was a traceback.
(Named apart from ``unit/test_scenarios_apart.py``: pytest imports test modules by their basename.)"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import uuid
from pathlib import Path

from test_faults import FAULTS, behave, fails_cleanly
from test_processes import MARKER, nothing_left


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_what_a_scenario_sent_or_subscribed_over_inproc_reaches_no_later_scenario():
    code, output, _ = behave("inproc_apart")
    assert "expected nothing on" not in output, output  # the first scenario's message, the third's subscription
    assert code == 0 and "4 scenarios passed, 0 failed" in output, output


def behave_with(tmp_path: Path, feature: str, apps: dict[str, object]) -> tuple[int, str, str]:
    """Run a fault feature with more apps in its settings; its exit code, output, and the run's test marker."""
    environments = tmp_path / "environments"
    environments.mkdir()
    settings = json.loads((FAULTS / "environments" / "local.json").read_text())
    (environments / "local.json").write_text(json.dumps({**settings, **apps}))
    marker = uuid.uuid4().hex
    result = subprocess.run(
        [sys.executable, "-m", "behave", "--no-color", "-f", "plain", f"features/{feature}.feature",
         "-D", f"environments={environments}"],
        cwd=FAULTS, capture_output=True, text=True, timeout=120,
        env={**os.environ, MARKER: marker, "TMPDIR": str(tmp_path)},
    )
    return result.returncode, result.stdout + result.stderr, marker


def test_a_daemon_an_app_of_the_scenario_started_ends_with_that_scenario(tmp_path):
    pusher = {"scope": "scenario", "start": ["python", "apps/daemon_pusher.py",
                                                         "tcp://127.0.0.1:${daemon_pusher.inbox_number}"],
              "inbox_number": free_port(), "ready": {"log": "the daemon is pushing"},
              "stop_timeout": 1}
    code, output, marker = behave_with(tmp_path, "scenario_daemon", {"daemon_pusher": pusher})
    left = nothing_left(marker)
    assert "expected nothing on" not in output, output  # the daemon pushed into the next scenario's socket
    assert code == 0 and "2 scenarios passed, 0 failed" in output, output
    assert left == [], left


def test_a_run_folder_removed_under_the_suite_is_named_in_one_line_for_commands_apps_and_logs():
    """It was a traceback from the command spawner and from an app's start, and a check of an app's output
    that waited its whole time for text it said was not there."""
    output = fails_cleanly("run_folder_removed")
    gone = r"the run's folder \S+/zmqprose-run-\w+ is gone: something removed it while the run was going"
    assert re.search(rf"cannot run 'echo hello': {gone}", output), output
    assert re.search(rf"cannot start sayer: {gone}", output), output
    assert re.search(rf"fragile's log \S+/fragile\.zmqprose\.log cannot be read: {gone}", output), output
    assert re.search(rf"cannot start fragile: {gone}", output), output  # its restart
    assert "with its apps' and commands' output, was removed by something else" in output, output
