"""Formats and failures as a spec meets them, in whole behave runs (issue 28: items 6, 8, 12; siblings a, b).

A project registers a msgpack variant in its ``environment.py`` and speaks Salt's msgpack (bytes written as
msgpack str, a payload nested in a field); the built-in msgpack says where such a message cannot be read; a
name no phrase can write is refused at register; an ``eventually`` that finds nothing shows how the closest
message differs; a value filled into an expected docstring matches only itself.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgpack

LOAD = {"cmd": "_auth", "id": "minion-1", "nonce": b"\x9f\x00\xfe\x10"}
SALT_FRAME = msgpack.packb({"enc": "clear", "load": msgpack.packb(LOAD, use_bin_type=False)}, use_bin_type=False)

ENVIRONMENT = '''
from zmqprose import formats
from zmqprose.hooks import *  # noqa: F403

formats.register_msgpack("salt", raw=True, nested=["load"])
'''

FEATURE = f'''
Feature: Salt's msgpack, and failures that point at the cause

  Background:
    Given I bind a REP socket to "tcp://127.0.0.1:*" as "master"
    And I connect a REQ socket to the endpoint of "master" as "minion"

  Scenario: the spec plays a minion in Salt's msgpack and reads the master's answer
    When I send the salt message to "minion":
      """
      {{"enc": "clear", "load": {{"cmd": "_auth", "id": "minion-1", "nonce": "hex:9f00fe10"}}}}
      """
    Then I receive "hex:{SALT_FRAME.hex()}" from "master"
    When I send "hex:{SALT_FRAME.hex()}" to "master"
    Then I receive a salt message from "minion" containing:
      """
      {{"load": {{"cmd": "_auth", "nonce": "hex:9f00fe10"}}}}
      """

  Scenario: the built-in msgpack says where Salt's message cannot be read
    When I send "hex:{SALT_FRAME.hex()}" to "minion"
    Then I receive a msgpack message from "master" containing:
      """
      {{"enc": "clear"}}
      """

  Scenario: an eventually that finds nothing shows how the closest message differs
    Given I bind a PULL socket to "tcp://127.0.0.1:*" as "camera"
    And I connect a PUSH socket to the endpoint of "camera" as "lens"
    When I send the multipart message ["CAMERA", "480x640"] to "lens"
    And I send the multipart message ["LIGHT", "on"] to "lens"
    Then I eventually receive the multipart message ["CAMERA", "640x480"] from "camera" within 300 ms

  Scenario: a value filled into an expected message matches only itself
    Given I store "#ignore" in the checkpoint as "id"
    And I bind a PULL socket to "tcp://127.0.0.1:*" as "inbox"
    And I connect a PUSH socket to the endpoint of "inbox" as "outbox"
    When I send the JSON message to "outbox":
      """
      {{"id": "other"}}
      """
    Then I receive a JSON message from "inbox" matching:
      """
      {{"id": "${{checkpoint.id}}"}}
      """
'''


def run(behave_project: Callable[..., Path], run_behave: Callable[..., Any], environment: str,
        feature: str) -> tuple[int, str]:
    """The feature run in a project whose environment.py is the one given."""
    folder = behave_project({"it.feature": feature})
    (folder / "environment.py").write_text(environment)
    ran = run_behave(folder, "-f", "plain", "features/it.feature")
    return ran.code, ran.output


def test_salt_s_msgpack_is_spoken_and_failures_say_where_and_how_the_closest_differs(behave_project, run_behave):
    code, output = run(behave_project, run_behave, ENVIRONMENT, FEATURE)
    assert code != 0 and "Traceback" not in output, output
    assert "1 scenario passed, 3 failed" in output, output
    assert "the str at $.load is not UTF-8 text (byte 0x83 at 0 of its " in output, output
    assert 'register_msgpack(\\"NAME\\", raw=True, nested=[\\"load\\"])' in output \
        or 'register_msgpack("NAME", raw=True, nested=["load"])' in output, output
    assert "the closest, ['CAMERA', '480x640']: frame 1 differs: expected '640x480', got '480x640'" in output, output
    assert 'first difference at $.id: expected "#ignore", got "other"' in output, output


def test_a_format_name_no_phrase_can_write_is_refused_when_the_project_registers_it(behave_project, run_behave):
    code, output = run(behave_project, run_behave, ENVIRONMENT.replace('"salt"', '"wrongly-signed Jupyter"'), FEATURE)
    assert code != 0, output
    assert "the format name 'wrongly-signed Jupyter' cannot be written in a step: a name is a letter first, then " \
           "letters, digits, '_' or '-' (no spaces)" in output, output
    assert 'e.g. "wrongly-signed-Jupyter"' in output, output
