"""A run's options in whole behave runs, as a project meets them: the live log when the project's logging is
not the standard library's plain one (Salt installs its own logger class), and whole frames in a failure."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

SALT_LIKE_LOGGING = '''
import logging


class SaltLikeLogger(logging.Logger):
    """As Salt's logger class: its makeRecord takes what its own _log always passes, an extra dict."""

    def makeRecord(self, name, level, fn, lno, msg, args, exc_info, func=None, extra=None, sinfo=None):
        extra.pop("exc_info_on_loglevel", None)
        return super().makeRecord(name, level, fn, lno, msg, args, exc_info, func, extra, sinfo)


def refusing_factory(*args, **kwargs):
    raise RuntimeError("a project's record factory that zmqprose must not need")


logging.setLoggerClass(SaltLikeLogger)
logging.setLogRecordFactory(refusing_factory)

from zmqprose.hooks import *  # noqa: E402, F403
'''

LONG = "a frame of many words " * 20  # 440 characters: shortened unless frames are shown whole

FEATURE = f'''
Feature: a pair of the spec's own sockets
  Scenario: a message goes from one to the other
    Given I bind a PULL socket to "tcp://127.0.0.1:*" as "inbox"
    And I connect a PUSH socket to the endpoint of "inbox" as "outbox"
    When I send "{LONG}" to "outbox"
    Then I receive "something else" from "inbox"
'''


@pytest.fixture
def project(behave_project: Callable[..., Path]) -> Path:
    return behave_project({"pair.feature": FEATURE})


def test_the_live_log_works_with_a_projects_own_logger_class_and_record_factory(
        project: Path, run_behave: Callable[..., Any]) -> None:
    (project / "environment.py").write_text(SALT_LIKE_LOGGING)
    ran = run_behave(project, "-D", "action_log=live")
    output = ran.output
    assert "AttributeError" not in output and "Traceback" not in output, output
    assert "zmqprose: " in ran.stderr and "send_multi -> tcp://127.0.0.1:" in ran.stderr, output  # as it happened
    assert "1 scenario passed, 0 failed" not in output and "0 scenarios passed, 1 failed" in output  # the spec's own


def test_frames_are_shown_whole_in_a_failure_only_when_the_run_asks(
        project: Path, run_behave: Callable[..., Any]) -> None:
    whole = received(run_behave(project, "-D", "show_frames=full"))
    shortened = received(run_behave(project))
    assert whole == f"but: [{LONG!r}]"
    assert LONG not in shortened and shortened.endswith(f"…({len(LONG)} bytes)']")


def received(ran: Any) -> str:
    """What the failure says arrived (behave shows the step's own text too, whole)."""
    return next(line.strip() for line in ran.output.splitlines() if line.strip().startswith("but: ["))


APP_FEATURE = f'''
Feature: an app and a command of the spec's, in a live run
  Scenario: the app is started, a command runs, a message is sent, the app is stopped
    Given server is running
    When I run "python -c pass"
    And I bind a PULL socket to "tcp://127.0.0.1:*" as "inbox"
    And I connect a PUSH socket to the endpoint of "inbox" as "outbox"
    And I send the multipart message ["PING", "{LONG}"] to "outbox"
    Then I receive the multipart message ["PING", "{LONG}"] from "inbox"
    And I stop server
'''

SERVER = ["python", "-c", "import time; print('server up', flush=True); time.sleep(60)"]


def test_a_live_run_prints_an_apps_start_and_stop_a_commands_run_and_a_sends_frames_once_each(
        behave_project: Callable[..., Path], run_behave: Callable[..., Any]) -> None:
    """After 44a91e0, a live run printed no app's start or stop and no command's run (they went to the zmqprose
    logger only); and each send printed its frames twice."""
    project = behave_project({"pair.feature": APP_FEATURE},
                             {"zmqprose": {"timeout": 5}, "server": {"start": SERVER, "ready": {"log": "server up"}}})
    ran = run_behave(project, "-D", "action_log=live")
    assert "1 scenario passed, 0 failed" in ran.stdout, ran.output
    printed = [line.removeprefix("zmqprose: ") for line in ran.stderr.splitlines() if line.startswith("zmqprose: ")]
    for wanted in ("start server  python -c ", "started server  ready after", "run python -c pass",
                   "ran python -c pass  exited with code 0", "stop server  "):
        assert sum(f"  {wanted}" in line for line in printed) == 1, (wanted, ran.stderr)
    assert sum("PING" in line for line in printed if "send_multi -> " in line) == 1, ran.stderr
