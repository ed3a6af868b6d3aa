"""Bounded waits: how far past its timeout a receive fails, and how fast behave exits with messages stuck.

Targets: a receive that times out fails within its timeout + 100 ms; behave
exits within 1 s of its last scenario, even with messages queued for a
peer that is gone.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import write_project

from zmqprose import Prose, WaitTimeout
from zmqprose.apps.ports import free_port

NOTE_STEP = '''
import time
from behave import step


@step('the time is noted in "{path}"')
def note_time(context, path):
    with open(path, "w") as file:
        file.write(repr(time.time()))
'''

STUCK = '''
Feature: messages stuck for a peer that is gone
  Scenario: a thousand messages queued for nobody
    Given I connect a PUSH socket to "tcp://127.0.0.1:{port}" as "nowhere"
    When I send the multipart message ["lost", "message"] to "nowhere"
{more}
    Then the time is noted in "{note}"
'''


def receive_overshoot(tries: int = 10, timeout: float = 0.2) -> list[float]:
    """Seconds past ``timeout`` that each timed-out receive took to fail."""
    overshoots = []
    with Prose() as prose:
        quiet = prose.using_zmq().bind("tcp://127.0.0.1:*", "PULL")
        for _ in range(tries):
            began = time.monotonic()
            try:
                prose.expects_zmq_socket(quiet).receives_message(timeout)
            except WaitTimeout:
                overshoots.append(time.monotonic() - began - timeout)
    return overshoots


def behave_exit_delay(messages: int = 1000) -> float:
    """Seconds from the last step of the last scenario to the end of the behave process."""
    with tempfile.TemporaryDirectory() as folder:
        note = Path(folder) / "noted"
        more = '    And I send "lost" to "nowhere"\n' * (messages - 1)
        stuck = STUCK.format(port=free_port(), more=more, note=note)
        project = write_project(Path(folder), {"stuck": stuck}, {"note": NOTE_STEP}, {})
        subprocess.run([sys.executable, "-m", "behave", "-f", "null"], cwd=project, check=True, timeout=120,
                       capture_output=True)
        ended = time.time()
        return ended - float(note.read_text())


def main() -> list[tuple[str, str, str]]:
    overshoots = receive_overshoot()
    delays = [behave_exit_delay() for _ in range(3)]
    return [
        ("receive timeout of 200 ms, 10 tries", f"fails {statistics.median(overshoots) * 1000:.1f} ms late "
         f"(worst {max(overshoots) * 1000:.1f} ms)", "≤ 100 ms"),
        ("behave exit, 1,000 messages stuck", f"{statistics.median(delays):.2f} s after the last step "
         f"(worst {max(delays):.2f} s)", "≤ 1 s"),
    ]


if __name__ == "__main__":
    for row in main():
        print(" | ".join(row))
