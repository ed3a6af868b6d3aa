"""Per-step overhead: a scenario of request/reply steps, zmqprose's phrases against steps calling pyzmq directly.

Both kinds of step run interleaved in the same scenarios, in the same behave
process, against the same Ogre; the ratio of their summed durations (as
behave's JSON report gives them; the median round) is the figure (target ≤ 1.2).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from common import REPO, write_project

PAIRS = 500
RAW_STEPS = '''
import zmq
from behave import step


@step("raw: I connect a REQ socket to ogre's control port")
def raw_connect(context):
    context.raw = context.prose.scenario.context.socket(zmq.REQ)
    context.raw.rcvtimeo = context.raw.sndtimeo = 5000
    context.raw.connect(f"tcp://127.0.0.1:{context.prose.settings.app('ogre')['control_port']}")


@step('raw: I send "{text}"')
def raw_send(context, text):
    context.raw.send_string(text)


@step('raw: I receive "{text}"')
def raw_receive(context, text):
    assert context.raw.recv_string() == text
'''


def feature(rounds: int) -> str:
    """Scenarios that interleave zmqprose's steps with raw ones, so both meet the same noise."""
    lines = ["Feature: per-step overhead", ""]
    for round_number in range(rounds):
        lines += [f"  Scenario: round {round_number}", "    Given ogre is running",
                  "    And I connect a REQ socket to ogre's control port",
                  "    And raw: I connect a REQ socket to ogre's control port"]
        lines += ['    When I send "PING" to ogre\'s control port\n'
                  '    Then I receive "PONG" from ogre\'s control port\n'
                  '    When raw: I send "PING"\n    Then raw: I receive "PONG"'] * PAIRS
    return "\n".join(lines) + "\n"


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
        steps = scenario["steps"][3:]  # the request/reply steps only
        raw = sum(step["result"]["duration"] for step in steps if step["name"].startswith("raw:"))
        ours = sum(step["result"]["duration"] for step in steps if not step["name"].startswith("raw:"))
        rounds_measured.append((ours / raw, ours, raw))
    ratio, ours, raw = statistics.median(rounds_measured)
    return [(f"per step, {2 * PAIRS:,} request/reply steps", f"{ours * 1e6 / (2 * PAIRS):.0f} vs "
             f"{raw * 1e6 / (2 * PAIRS):.0f} µs per step (median of {rounds} rounds)",
             f"{ratio:.2f}× (≤ 1.15, goal 1.10)")]


if __name__ == "__main__":
    for row in main():
        print(" | ".join(row))
