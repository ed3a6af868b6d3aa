"""Probes in a whole behave run (issue 28, item 5): a service whose worker died while its front end lives.

``is still running`` checks the process zmqprose started, which lives on;
the app's probe, sent on a fresh socket, gets no answer and fails the step
in one readable line that names the app, the probe and what came back.
"""

from __future__ import annotations

import os
import subprocess
import sys

from test_faults import FAULTS, fails_cleanly, step_seconds

STILL_ANSWERS = "And frontman still answers within 1 second"


def test_a_service_whose_worker_died_is_still_running_and_its_probe_fails():
    output = fails_cleanly("probe_fails", "-D", "env=probes")
    assert "And frontman is still running ... passed" in output, output
    assert (f"{STILL_ANSWERS} ... failed" in output), output
    assert "frontman does not answer its probe: nothing arrived within 1 s on frontman's probe " \
           "(REQ to tcp://127.0.0.1:" in output, output
    assert 'frontman.front_port: ["PING"])' in output, output
    assert "0 scenarios passed, 1 failed" in output, output
    assert step_seconds(output, STILL_ANSWERS) < 5  # its wait, not a hang


def test_the_sockets_of_the_scenarios_after_a_probe_are_closed_in_time():
    """A probe's socket was closed and thrown away, its watch with it (pyzmq warns as it closes a socket the
    garbage collector takes): libzmq's one thread that closes the sockets of the run then waited for ever, and no
    socket was closed again (ports held, PULLs of past scenarios taking a PUSH's messages)."""
    result = subprocess.run(
        [sys.executable, "-m", "behave", "--no-color", "-f", "plain", "--no-capture-stderr",
         "features/probes_then_sockets.feature", "-D", "env=probes", "-D", "action_log=live"],
        cwd=FAULTS, capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONWARNINGS": "always::ResourceWarning"})
    output = result.stdout + result.stderr
    assert result.returncode == 0 and "2 scenarios passed, 0 failed" in output, output
    assert "Unclosed socket" not in output, output  # the thrown-away watch, every time (the hang is a race)
    assert "ZeroMQ took more than" not in output, output
