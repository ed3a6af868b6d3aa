"""``-D show_frames=full`` in whole behave runs: a message read in a format, the one line that says how a message
differs, and a stub's own problems are shown whole, as the run's frames are (each was shortened before)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

LONG = "a frame of many words " * 30  # 660 characters: longer than any shortening (a frame's 80, a value's 400)
VALUE = json.dumps({"text": LONG})

FEATURE = f'''
Feature: messages a run shows
  Background:
    Given I bind a PAIR socket to "tcp://127.0.0.1:*" as "inbox"
    And I connect a PAIR socket to the endpoint of "inbox" as "outbox"

  Scenario: a JSON message that is not the one expected
    When I send the JSON message to "outbox":
      """
      {VALUE}
      """
    Then I receive a JSON message from "inbox" matching:
      """
      {{"text": "something else"}}
      """

  Scenario: frames that are not the ones expected
    When I send the multipart message ["topic", "{LONG}"] to "outbox"
    Then I receive the multipart message ["topic", "something else"] from "inbox"

  Scenario: a stub that cannot fill in its answer
    Given a stub REP socket bound to "tcp://127.0.0.1:*" as "worker"
    And the stub "worker" answers anything else with "${{request.frame.5}}"
    And I connect a REQ socket to the endpoint of "worker" as "client"
    When I send "{LONG}" to "client"
    And I receive "#ignore" from "client"
    Then the stub "worker" received "something else"
'''


@pytest.fixture
def behave(behave_project: Callable[..., Path], run_behave: Callable[..., Any]) -> Callable[..., str]:
    """Runs the three failing scenarios with the arguments given; all the run printed."""
    project = behave_project({"shown.feature": FEATURE})

    def run(*arguments: str) -> str:
        output: str = run_behave(project, "-f", "plain", *arguments).output
        assert "0 scenarios passed, 3 failed" in output and "Traceback" not in output, output
        return output

    return run


def test_a_run_that_shows_frames_in_full_shows_values_differences_and_a_stubs_problems_whole(
        behave: Callable[..., str]) -> None:
    whole = behave("-D", "show_frames=full")
    assert "recv_multi <- tcp://127.0.0.1:" in whole and f"[JSON {VALUE}]" in whole, whole  # the action log
    assert f"but: {VALUE}\n" in whole, whole
    assert f'(first difference at $.text: expected "something else", got "{LONG}")' in whole, whole
    assert f"(frame 1 differs: expected 'something else', got '{LONG}')" in whole, whole
    assert f"${{request.frame.5}}: the request has only 1 frame(s): ['{LONG}']" in whole, whole


def test_a_run_that_shortens_frames_shortens_them_there_too(behave: Callable[..., str]) -> None:
    shortened = behave()
    assert f"[JSON {VALUE[:390]}…({len(VALUE)} chars)]" in shortened, shortened  # the action log
    assert f'got {json.dumps(LONG)[:50]}…({len(LONG) + 2} chars))' in shortened, shortened
    assert f"got '{LONG[:60]}…({len(LONG)} bytes)')" in shortened, shortened
    assert f"the request has only 1 frame(s): ['{LONG[:60]}…({len(LONG)} bytes)']" in shortened, shortened
