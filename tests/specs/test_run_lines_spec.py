"""What an app prints, its own log, and a one-shot client that finished, in a whole behave run (issue 28, item
7's log file, and the wait-timeout line of a client that ended with code 0).

- An app told to write its own log as ``${APP.folder}/APP.log`` wrote into the file zmqprose kept its output
  in: its output checks saw its own log's lines (and lost what it printed before). zmqprose's file is now
  ``APP.zmqprose.log``.
- A receive on the spec's own socket that timed out said nothing of the one-shot client, handed that socket's
  port, that had ended with code 0 (it will not send more).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

WRITER = ("import sys, time\n"
          "with open(sys.argv[1], 'w') as own:\n"
          "    print('a line of its own log', file=own, flush=True)\n"
          "    print('a line it printed', flush=True)\n"
          "    time.sleep(60)\n")

FEATURE = '''
Feature: what apps print, and clients that are done
  Scenario: an app that writes its own log named after it
    Given writer is running
    Then writer's output contains "a line it printed"
    And writer's output does not contain "a line of its own log"
    And the file "${writer.folder}/writer.log" contains "a line of its own log"

  Scenario: a one-shot client handed the spec's port ends without sending
    Given I bind a PULL socket to "tcp://127.0.0.1:*" as "inbox"
    And client is running
    Then I receive a message from "inbox" within 1 second
'''


@pytest.fixture
def project(behave_project: Callable[..., Path]) -> Path:
    return behave_project({"lines.feature": FEATURE}, {
        "zmqprose": {"timeout": 5},
        "writer": {"scope": "scenario", "start": ["python", "-c", WRITER, "${writer.folder}/writer.log"],
                   "ready": {"log": "a line it printed"}},
        "client": {"scope": "scenario", "start": ["python", "-c", "print('nothing to send')", "${socket.inbox.port}"],
                   "ready": {"none": True}},
    })


def test_an_apps_own_log_is_apart_and_a_client_that_ended_is_named_when_a_wait_times_out(
        project: Path, run_behave: Callable[..., Any]) -> None:
    output = run_behave(project, "-f", "plain").output
    assert "Traceback" not in output, output
    assert "1 scenario passed, 1 failed" in output, output
    assert re.search(r"nothing arrived on \"inbox\" \(PULL, tcp://127\.0\.0\.1:\d+\) within 1 s;\n.*\n\s+\(client "
                     r"ended with code 0 (at|between) \+\d+\.\d s( and \+\d+\.\d s)?: it will not send more\)",
                     output), output
