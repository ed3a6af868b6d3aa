"""Probes in a whole behave run (issue 28, item 5): a service whose worker died while its front end lives.

``is still running`` checks the process zmqprose started, which lives on;
the app's probe, sent on a fresh socket, gets no answer and fails the step
in one readable line that names the app, the probe and what came back.
"""

from __future__ import annotations

from test_faults import fails_cleanly, step_seconds

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
