"""A ROUTER's routing id, expected as a frame, in whole behave runs: the failure says the envelope was set aside
before the frames were matched (it said "expected 3 frame(s), got 2" and no more), for a multipart receive and for
a format's ``with the envelope``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

FEATURE = '''
Feature: a ROUTER's messages
  Background:
    Given I bind a ROUTER socket to "tcp://127.0.0.1:*" as "broker"
    And I connect a DEALER socket to the endpoint of "broker" as "worker" with options:
      | option     | value    |
      | ROUTING_ID | worker-1 |

  Scenario: the routing id expected as the first frame
    When I send the multipart message ["weather", "sunny"] to "worker"
    Then I receive the multipart message ["#ignore", "weather", "sunny"] from "broker"

  Scenario: the routing id expected as a format's envelope
    When I send the JSON message to "worker":
      """
      {"status": "ok"}
      """
    Then I receive a JSON message from "broker" with the envelope ["#ignore"] containing:
      """
      {"status": "ok"}
      """
'''


def test_a_routing_id_expected_as_a_frame_is_said_to_be_set_aside(
        behave_project: Callable[..., Path], run_behave: Callable[..., Any]) -> None:
    output = run_behave(behave_project({"router.feature": FEATURE}), "-f", "plain").output
    assert "0 scenarios passed, 2 failed" in output and "Traceback" not in output, output
    assert ("(expected 3 frame(s), got 2 (after the envelope ['worker-1'], which a ROUTER sets aside (its peer's "
            "routing id): leave it out of the expected frames))") in output, output
    assert ("not the one expected ['#ignore'] (expected 1 frame(s), got 0 (after the envelope ['worker-1'], which a "
            "ROUTER sets aside (its peer's routing id): leave it out of the envelope expected))") in output, output
