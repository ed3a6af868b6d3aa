"""Per-step overhead: a scenario of request/reply steps, zmqprose's phrases against steps calling pyzmq directly.

Two figures: behave's own step timer (which starts after the step's
arguments are converted), and whole behave processes (parsing, matching
and conversion included), the start-up of an empty run taken off.

For the step timer, both kinds of step run interleaved in the same
scenarios, in the same behave process, against the same Ogre; the ratio of
their summed durations (as behave's JSON report gives them; the median
round) is the figure. Between a request and its reply, a step that is not
counted lets Ogre's answer arrive: else a receive step's time is mostly the
round trip (about 75 µs here), and a kind of step that reaches its receive
sooner (less work in between) waits longer in it, so the faster kind would
look slower. The whole-process figure has no such step: there, what a step
costs shows as what the user waits.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import REPO, write_project

PAIRS = 500
RAW_STEPS = '''
import zmq
from behave import step


@step("raw: I connect a REQ socket to ogre's control port")
def raw_connect(context):
    context.raw = zmq.Context.instance().socket(zmq.REQ)
    context.raw.rcvtimeo = context.raw.sndtimeo = 5000
    context.raw.connect(f"tcp://127.0.0.1:{context.prose.settings.app('ogre')['control_port']}")


@step('raw: I send "{text}"')
def raw_send(context, text):
    context.raw.send_string(text)


@step('raw: I receive "{text}"')
def raw_receive(context, text):
    assert context.raw.recv_string() == text


@step("bench: the answer waits on the {kind} socket")
def answer_waits(context, kind):
    """Not counted: it lets Ogre's answer arrive, so that a receive step's time is the step's own."""
    from zmqprose.sockets.references import parse_endpoint

    sock = context.raw if kind == "raw" else context.prose.socket(parse_endpoint("ogre's control port")).zmq
    assert sock.poll(5000, zmq.POLLIN), "no answer within 5 s"
'''


def feature(rounds: int) -> str:
    """Scenarios that interleave zmqprose's steps with raw ones, so both meet the same noise."""
    lines = ["Feature: per-step overhead", ""]
    for round_number in range(rounds):
        lines += [f"  Scenario: round {round_number}", "    Given ogre is running",
                  "    And I connect a REQ socket to ogre's control port",
                  "    And raw: I connect a REQ socket to ogre's control port"]
        lines += ['    When I send "PING" to ogre\'s control port\n'
                  '    And bench: the answer waits on the zmqprose socket\n'
                  '    Then I receive "PONG" from ogre\'s control port\n'
                  '    When raw: I send "PING"\n'
                  '    And bench: the answer waits on the raw socket\n'
                  '    Then raw: I receive "PONG"'] * PAIRS
    return "\n".join(lines) + "\n"


def only(kind: str, pairs: int) -> str:
    """A scenario of ``pairs`` request/reply pairs of one kind only ("ours", "raw"), or none ("empty")."""
    steps = {"ours": '    When I send "PING" to ogre\'s control port\n'
                     '    Then I receive "PONG" from ogre\'s control port',
             "raw": '    When raw: I send "PING"\n    Then raw: I receive "PONG"'}
    lines = ["Feature: one kind of step", "", "  Scenario: only these steps", "    Given ogre is running",
             "    And I connect a REQ socket to ogre's control port",
             "    And raw: I connect a REQ socket to ogre's control port"]
    lines += [steps[kind]] * pairs if kind in steps else []
    return "\n".join(lines) + "\n"


def whole_process(rounds: int = 5, pairs: int = 2000) -> tuple[str, str, str]:
    """The same per-step figure over whole behave processes: parsing, matching and argument conversion
    included. (process time with N pairs of a kind - process time with none) / the same for raw steps."""
    with tempfile.TemporaryDirectory() as folder:
        settings = json.loads((REPO / "environments" / "local.json").read_text())
        settings["ogre"]["cwd"] = str(REPO)
        project = write_project(Path(folder), {"only": only("empty", 0)}, {"raw_steps": RAW_STEPS}, settings)
        seconds: dict[str, list[float]] = {"ours": [], "raw": [], "empty": []}
        for round_number in range(rounds):
            kinds = list(seconds)
            for kind in kinds[round_number % 3:] + kinds[:round_number % 3]:
                (project / "features" / "only.feature").write_text(only(kind, pairs))
                began = time.perf_counter()
                subprocess.run([sys.executable, "-m", "behave", "-f", "null"], cwd=project, check=True,
                               capture_output=True, timeout=600)
                seconds[kind].append(time.perf_counter() - began)
    empty = statistics.median(seconds["empty"])
    ours, raw = (statistics.median(seconds[kind]) - empty for kind in ("ours", "raw"))
    return (f"per step, whole behave process, {2 * pairs:,} steps", f"{ours * 1e6 / (2 * pairs):.0f} vs "
            f"{raw * 1e6 / (2 * pairs):.0f} µs per step, start-up taken off (median of {rounds} rounds)",
            f"{ours / raw:.2f}× (≤ 1.15, goal 1.10)")


def main(rounds: int = 7) -> list[tuple[str, str, str]]:
    with tempfile.TemporaryDirectory() as folder:
        settings = json.loads((REPO / "environments" / "local.json").read_text())
        settings["ogre"]["cwd"] = str(REPO)
        project = write_project(Path(folder), {"overhead": feature(rounds)}, {"raw_steps": RAW_STEPS}, settings)
        report = project / "report.json"
        subprocess.run([sys.executable, "-m", "behave", "-f", "json", "-o", str(report), "-f", "null"],
                       cwd=project, check=True, capture_output=True, timeout=600)
        scenarios = json.loads(report.read_text())[0]["elements"]
    rounds_measured = []
    for scenario in scenarios:
        assert scenario["status"] == "passed", scenario["name"]
        steps = [step for step in scenario["steps"][3:] if not step["name"].startswith("bench:")]  # requests, replies
        raw = sum(step["result"]["duration"] for step in steps if step["name"].startswith("raw:"))
        ours = sum(step["result"]["duration"] for step in steps if not step["name"].startswith("raw:"))
        rounds_measured.append((ours / raw, ours, raw))
    ratio, ours, raw = statistics.median(rounds_measured)
    return [(f"per step, {2 * PAIRS:,} request/reply steps, behave's step timer", f"{ours * 1e6 / (2 * PAIRS):.0f} vs "
             f"{raw * 1e6 / (2 * PAIRS):.0f} µs per step (median of {rounds} rounds)",
             f"{ratio:.2f}× (≤ 1.15, goal 1.10)"), whole_process()]


if __name__ == "__main__":
    for row in main():
        print(" | ".join(row))
