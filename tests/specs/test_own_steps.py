"""A project's own steps with zmqprose's (issue 28, item 10): its patterns use zmqprose's argument types (SOCKET,
FRAMES, DURATION, TEXT, …) through ``from zmqprose.steps import step``, whatever step matcher the project uses
and beside types of its own; ``${…}`` is filled into text as text (``prose(context).interpolate_text``); a failure
of its own (a plain ``assert``) carries the scenario's action log as zmqprose's own do; an argument written
wrongly fails with zmqprose's message.

A project is written into a temporary folder and behave runs there, in a process of its own.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

OWN_STEPS = '''
import parse
from behave import register_type, use_step_matcher
from behave import step as behaves_step

from zmqprose.steps import prose, step


@parse.with_pattern(r"red|green")
def parse_colour(text):
    return text.upper()


register_type(Colour=parse_colour)
use_step_matcher("re")  # the project's own matcher for behave's decorators: zmqprose's patterns keep theirs


@behaves_step(r"a step of behave's own, with a regular expression: (?P<word>\\w+)")
def behaves_own(context, word):
    context.word = word


@step("the ogre answers {count:d} pings on {socket:Socket} within {wait:Duration}")
def answers_pings(context, count, socket, wait):
    """Send PING and receive PONG, count times.

    Example: Then the ogre answers 3 pings on ogre's control port within 2 seconds
    """
    api = prose(context)
    for _ in range(count):
        api.using_zmq().send(socket, "PING")
        api.expects_zmq_socket(socket).receives(["PONG"], wait)


@step("the ogre answers {:d} more pings on {socket:Socket}")
def more_pings(context, count, socket):
    answers_pings(context, count, socket, None)


@step("the ogre echoes {frames:Frames} on {socket:Socket}")
def echoes(context, frames, socket):
    api = prose(context)
    api.using_zmq().send_multi(socket, ["ECHO", *api.interpolate_frames(frames)])
    api.expects_zmq_socket(socket).receives(["ECHO", *api.interpolate_frames(frames)])


@step("I note {text:Text} as {key:Name}")
def note(context, text, key):
    context.checkpoint.set(key, prose(context).interpolate_text(text))
    context.noted = key  # a project's step may set what it likes on the context, as behave lets it


@step("the note {key:Name} reads {text:Text}")
def reads(context, key, text):
    noted, expected = context.checkpoint.get(key), prose(context).interpolate_text(text)
    assert noted == expected, f"the note {key!r} reads {noted!r}, not {expected!r}"


@step("the light is {colour:Colour}")
def light(context, colour):
    assert colour in ("RED", "GREEN") and context.word == "hello"
'''

FEATURE = '''
Feature: a project's own steps

  Scenario: its phrases use zmqprose's argument types and fill in ${…} as text
    Given ogre is running
    And I connect a REQ socket to ogre's control port
    Then the ogre answers 2 pings on ogre's control port within 2 seconds
    And the ogre answers 1 more pings on ogre's control port
    When I store "tcp://127.0.0.1:${ogre.control_port}" in the checkpoint as "control"
    And I note "control on ${checkpoint.control}" as "where"
    Then the note "where" reads "control on tcp://127.0.0.1:${ogre.control_port}"
    And a step of behave's own, with a regular expression: hello
    And the light is green

  Scenario: a failure of its own carries the action log
    Given ogre is running
    And I connect a REQ socket to ogre's control port
    And the ogre answers 1 pings on ogre's control port within 2 seconds
    When I note "something" as "where"
    Then the note "where" reads "something else"

  Scenario: an argument written wrongly fails with zmqprose's message
    Given ogre is running
    And I connect a REQ socket to ogre's control port
    Then the ogre answers 1 pings on ogre's control port within 2 fortnights
'''


def run_project(tmp_path: Path) -> str:
    ogre = json.loads((REPO / "environments" / "local.json").read_text())["ogre"]
    (tmp_path / "environments").mkdir()
    (tmp_path / "environments" / "local.json").write_text(json.dumps({"ogre": {**ogre, "cwd": str(REPO)}}))
    (tmp_path / "steps").mkdir()
    (tmp_path / "steps" / "zmqprose_steps.py").write_text("import zmqprose.steps  # noqa: F401  (the phrases)\n")
    (tmp_path / "steps" / "own.py").write_text(OWN_STEPS)
    (tmp_path / "environment.py").write_text("from zmqprose.hooks import *  # noqa: F403\n")
    (tmp_path / "features").mkdir()
    (tmp_path / "features" / "own.feature").write_text(FEATURE)
    ran = subprocess.run([sys.executable, "-m", "behave", "--no-color", "-f", "plain", "--junit",
                          "--junit-directory", str(tmp_path / "reports")], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    return ran.stdout + ran.stderr


def test_a_projects_own_steps_use_zmqproses_types_and_failures_carry_the_action_log(tmp_path):
    output = run_project(tmp_path)
    assert "1 scenario passed, 2 failed" in output, output
    assert "Traceback" not in output, output
    failure = output.split("ASSERT FAILED: the note 'where' reads 'something', not 'something else'", 1)
    assert len(failure) == 2, output
    told = failure[1].split("Scenario:", 1)[0]  # what the failure's message says, up to the next scenario
    assert "action log of the scenario (last lines):" in told, output
    assert "recv_multi" in told and "['PONG']" in told, told  # the project's step's own actions are in it
    report = "".join(path.read_text() for path in (tmp_path / "reports").glob("*.xml"))
    assert "action log of the scenario (last lines):" in report  # the JUnit report carries it too
    assert "'2 fortnights' is not a duration: write e.g. 2 seconds" in output, output
