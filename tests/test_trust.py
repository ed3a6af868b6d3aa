"""A green run is true, and a run harms nothing outside itself (issue: trust).

Each test here failed before its fix: a check satisfied by stale output, a
signature left unchecked, a group signalled after it was gone, a file
written through a link, a secret shown, an expansion without end.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys

import pytest
from test_faults import FAULTS, behave, step_seconds
from test_processes import Run, nothing_left


def test_output_of_an_earlier_process_or_scenario_never_satisfies_a_check():
    code, output, _ = behave("stale_output")
    assert code != 0 and "Traceback" not in output, output
    assert "1 scenario passed, 2 failed" in output, output
    assert output.count("sayer's output does not contain 'first start'") == 2, output
    assert step_seconds(output, "When I restart sayer") >= 1.0  # ready when the new process says so, not before


def test_a_daemon_that_left_its_group_is_gone_after_a_passing_run(tmp_path):
    run = Run(tmp_path, "passes", feature="daemonizing", app="daemonizing")
    daemon = run.app_group()
    assert run.ends() == 0, run.text()
    assert nothing_left(run.marker) == [], f"the daemon {daemon} outlived the run:\n{run.text()}"


@pytest.mark.parametrize("ending", [signal.SIGINT, signal.SIGKILL], ids=["SIGINT", "SIGKILL"])
def test_a_daemon_that_left_its_group_is_gone_after_an_interrupted_or_killed_run(tmp_path, ending):
    run = Run(tmp_path, "waits", feature="daemonizing", app="daemonizing")
    run.app_group()
    run.process.send_signal(ending)
    run.ends()
    assert nothing_left(run.marker) == [], run.text()


@pytest.mark.skipif(shutil.which("unshare") is None, reason="no unshare(1) to make a pid namespace")
def test_no_unrelated_process_is_signalled_when_an_id_is_used_again(tmp_path):
    probe = subprocess.run(["unshare", "-pf", "--mount-proc", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"no pid namespace here: {probe.stderr.decode().strip()}")
    result = subprocess.run(["unshare", "-pf", "--mount-proc", sys.executable, str(FAULTS / "apps" / "pid_reuse.py"),
                             str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "untouched", result.stdout + result.stderr
