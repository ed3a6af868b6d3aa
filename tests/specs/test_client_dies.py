"""A client under test that dies at once (issue 28, item 2): the wait fails at once, naming it.

``jupyter run`` with a bad argument exits with code 1 as soon as it starts.
Each scenario of ``faults/features/client_dies.feature`` then waits up to 30
seconds on a socket of its own (a subscriber on the IOPub port the spec
plays, a request on its shell port, a subscriber on a socket bound to an
address, a message from a socket while a background command dies): each
must fail well within that wait, saying which app or command died, how,
and what it printed last; never only what did not arrive. The settings are a
folder of their own (``faults/client_environments``), so that the fault
suite's list of apps stays as its tests expect.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

FAULTS = Path(__file__).resolve().parent / "faults"
WAITS = [
    "Then played_kernel's iopub port has a subscriber within 30 seconds",
    "Then I receive a Jupyter message from played_kernel's shell port within 30 seconds containing:",
    'Then "events" has a subscriber within 30 seconds',
    'Then I receive a message from "elsewhere" within 30 seconds',
]


def run_feature() -> tuple[int, str]:
    result = subprocess.run(
        [sys.executable, "-m", "behave", "--no-color", "-f", "plain", "features/client_dies.feature",
         "-D", "environments=client_environments"],
        cwd=FAULTS, capture_output=True, text=True, timeout=120,
    )
    return result.returncode, result.stdout + result.stderr


def step_seconds(output: str, step_text: str) -> float:
    """How long behave says a step took: '<step> ... failed in 0.301s'."""
    match = re.search(re.escape(step_text) + r" \.\.\. failed in ([\d.]+)s", output)
    assert match, f"no failure of {step_text!r} in:\n{output}"
    return float(match[1])


def test_a_wait_on_any_socket_fails_at_once_when_a_client_of_the_scenario_dies():
    code, output = run_feature()
    assert code != 0, output
    assert "Traceback" not in output, output
    assert "0 scenarios passed, 4 failed" in output, output
    for step in WAITS:
        assert step_seconds(output, step) < 5, step  # the wait is 30 s: it ended when the client died
    dead = re.findall(r"jupyter_run has died during the scenario: jupyter_run \(pid \d+\) exited with code 1; "
                      r"last lines of \S+jupyter_run\.zmqprose\.log:\n\s+\[RunApp\] CRITICAL \| Bad config "
                      r"encountered", output)
    assert len(dead) == 3, output
    assert re.search(r'"client" \(jupyter run --existing no-such-kernel\.json code\.py, pid \d+\), started in the '
                     r"background by this scenario, exited with code 1; its error output ends:\n\s+\[RunApp\] "
                     r"CRITICAL \| Could not find existing kernel connection file no-such-kernel\.json", output)
    assert "had no subscriber" not in output
    assert "nothing arrived" not in output
