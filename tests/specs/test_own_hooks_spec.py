"""A project's own hooks with zmqprose's (``zmqprose.hooks.with_zmqprose``): each runs with zmqprose's hook of
its name, in the order that keeps the scenario's prose object there for it, and uncaptured, so that a failed
step still shows the scenario's action log (behave 1.3 drops its log capture after a captured hook).

A project is written into a temporary folder and behave runs there, in a process of its own.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

ENVIRONMENT = '''
from zmqprose.hooks import *  # noqa: F403
from zmqprose.hooks import with_zmqprose


@with_zmqprose
def before_scenario(context, scenario):
    print(f"mine, before: the prose object is there: {context.prose is not None}", flush=True)


@with_zmqprose
def after_scenario(context, scenario):
    from zmqprose.sockets.references import parse_endpoint

    socket = context.prose.socket(parse_endpoint("ogre's control port")).zmq
    print(f"mine, after: the scenario's socket is still open: {not socket.closed}", flush=True)


@with_zmqprose
def before_feature(context, feature):
    print("mine, before the feature", flush=True)
'''

COPIED = '''
from zmqprose import hooks
from zmqprose.hooks import *  # noqa: F403


def before_scenario(context, scenario):
    hooks.before_scenario(context, scenario)
'''

FEATURE = '''
Feature: a project's hooks with zmqprose's
  Scenario: a receive that fails shows the scenario's action log
    Given ogre is running
    And I connect a REQ socket to ogre's control port
    When I send "PING" to ogre's control port
    Then I receive "PANG" from ogre's control port within 1 second

  Scenario: the next scenario gets a prose object of its own
    Given ogre is running
    And I connect a REQ socket to ogre's control port
'''


def run(tmp_path: Path, environment: str) -> str:
    ogre = json.loads((REPO / "environments" / "local.json").read_text())["ogre"]
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "local.json").write_text(json.dumps({"ogre": {**ogre, "cwd": str(REPO)}}))
    (tmp_path / "steps").mkdir()
    (tmp_path / "steps" / "zmqprose_steps.py").write_text("import zmqprose.steps  # noqa: F401  (the phrases)\n")
    (tmp_path / "environment.py").write_text(environment)
    (tmp_path / "features").mkdir()
    (tmp_path / "features" / "hooks.feature").write_text(FEATURE)
    ran = subprocess.run([sys.executable, "-m", "behave", "--no-color", "-f", "plain"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    return ran.stdout + ran.stderr


def test_a_projects_hooks_run_with_zmqproses_and_the_action_log_stays(tmp_path):
    output = run(tmp_path, ENVIRONMENT)
    assert "mine, before the feature" in output
    assert output.count("mine, before: the prose object is there: True") == 2, output
    assert output.count("mine, after: the scenario's socket is still open: True") == 2, output
    assert "CAPTURED LOG: scenario\nLOG_INFO:zmqprose: start ogre" in output, output  # behave still captures
    assert "1 scenario passed, 1 failed" in output, output


def test_a_hook_copied_without_its_capture_setting_loses_the_action_log(tmp_path):
    """What with_zmqprose saves a project from (the reason zmqprose's own hooks are not captured)."""
    output = run(tmp_path, COPIED)
    assert "ASSERT FAILED" in output and "LOG_INFO:zmqprose: start ogre" not in output, output


def test_a_hook_named_unlike_behaves_is_refused_at_once():
    from zmqprose.hooks import with_zmqprose

    def before_scenarios(context, scenario):
        pass

    with pytest.raises(ValueError, match="'before_scenarios' is not the name of a behave hook"):
        with_zmqprose(before_scenarios)
