"""circusd's watchers end with circusd (features/circus.feature met it): circus starts each watcher in a session
of its own and, with ``copy_env = false`` (circus's default), with an empty environment, so a watcher is in none
of circusd's process groups and carries none of zmqprose's markers. ``When I kill circusd`` left the watcher
running after the run. Here the template is the test's own, with ``copy_env = false``; the watcher writes a file
when it starts (so that the test knows it ran) and carries a tag of the test's in its arguments."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import uuid
from pathlib import Path

import pytest

pytest.importorskip("circus")

TEMPLATE = """\
[circus]
endpoint = tcp://127.0.0.1:${{circusd.control_port}}
pubsub_endpoint = tcp://127.0.0.1:${{circusd.pubsub_port}}
stats_endpoint = tcp://127.0.0.1:${{circusd.stats_port}}
multicast_endpoint =
check_delay = 1

[watcher:sleeper]
cmd = {python} -c "import pathlib, sys, time; pathlib.Path(sys.argv[1]).touch(); time.sleep(600)" {started} {tag}
numprocesses = 1
copy_env = false
"""

FEATURE = """\
Feature: circusd's watchers end with it

  @kill
  Scenario: circusd is killed
    Given circusd is running
    When I kill circusd

  @ends
  Scenario: the scenario that started circusd ends
    Given circusd is running
"""


def settings() -> dict[str, object]:
    return {
        "zmqprose": {"timeout": 5},
        "circusd": {
            "scope": "scenario", "start": ["circusd", "${circusd.folder}/circus.ini"], "cwd": ".",
            "files": {"circus.ini": "templates/circus.ini"}, "stop_timeout": 5,
            "control_port": 0, "pubsub_port": 0, "stats_port": 0, "ready": {"probe": True},
            "probe": {"port": "control_port", "type": "DEALER", "format": "JSON",
                      "send": {"command": "start", "properties": {"name": "sleeper"}},
                      "expect": {"status": "ok", "time": "#number", "id": None}},
        },
    }


def tagged(tag: str) -> list[int]:
    """The live processes whose arguments hold ``tag``."""
    found = []
    for entry in Path("/proc").iterdir():
        with contextlib.suppress(OSError):
            stat = (entry / "stat").read_text()
            if tag.encode() in (entry / "cmdline").read_bytes() and stat[stat.rindex(")") + 2] not in "ZX":
                found.append(int(entry.name))
    return found


@pytest.mark.parametrize("scenario", ["kill", "ends"])
def test_a_watcher_circusd_started_with_an_empty_environment_ends_with_circusd(
        behave_project, run_behave, tmp_path, scenario):
    tag, started = uuid.uuid4().hex, tmp_path / "sleeper-started"
    project = behave_project({"circusd.feature": FEATURE}, settings())
    (project / "environments" / "templates").mkdir()
    (project / "environments" / "templates" / "circus.ini").write_text(
        TEMPLATE.format(python=sys.executable, started=started, tag=tag))
    try:
        ran = run_behave(project, "--tags", f"@{scenario}")
        assert ran.code == 0, ran.output
        assert started.exists(), f"circusd's watcher never started:\n{ran.output}"
        assert tagged(tag) == [], f"circusd's watcher outlived the run:\n{ran.output}"
    finally:
        for pid in tagged(tag):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
