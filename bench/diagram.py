"""Pictures: what drawing a scenario costs when asked for, and that nothing is drawn or kept when not.

A scenario of 20 messages (10 request/reply pairs between a REQ and a REP
socket of the spec, over tcp on loopback) runs with its events kept; its
picture (the story's text rendered and masked, then drawn) is made 200
times and the median taken (target ≤ 5 ms). The same
scenario run with pictures off keeps no event, and its 20 send/receive
steps are timed against the same steps with pictures on, interleaved (the
cost of keeping events, for the record; with pictures off it is a test of a
flag).
"""

from __future__ import annotations

import statistics
import time

from common import REPO  # noqa: F401  (puts the repo on the path)

from zmqprose import Prose, Settings
from zmqprose.actionlog import RunOptions

PAIRS = 10


def scenario(keep: bool) -> tuple[Prose, float]:
    """Run the scenario; the (closed) prose object and the seconds its 20 steps took."""
    prose = Prose(Settings({}), timeout=5, options=RunOptions(keep_stories=keep))
    try:
        server = prose.using_zmq().bind("tcp://127.0.0.1:*", "REP", name="server")
        client = prose.using_zmq().connect('the endpoint of "server"', "REQ", name="client")
        began = time.perf_counter()
        for number in range(PAIRS):
            prose.using_zmq().send(client, f"PING {number}")
            prose.expects_zmq_socket(server).receives([f"PING {number}"])
            prose.using_zmq().send(server, f"PONG {number}")
            prose.expects_zmq_socket(client).receives([f"PONG {number}"])
        return prose, time.perf_counter() - began
    finally:
        prose.close()


def main(rounds: int = 200) -> list[tuple[str, str, str]]:
    prose, _ = scenario(True)
    story = prose.story()
    times = []
    for _ in range(rounds):
        began = time.perf_counter()
        prose.diagram("ten request/reply pairs")  # the story's text rendered and masked, then drawn
        times.append(time.perf_counter() - began)
    off, on = [], []
    for _ in range(30):
        off.append(scenario(False)[1])
        on.append(scenario(True)[1])
    quiet, _ = scenario(False)
    assert quiet.story()["events"] == [], "pictures off, yet events were kept"
    messages = sum(1 for event in story["events"] if event["kind"] == "send")
    return [
        (f"picture of a scenario of {messages} messages", f"{statistics.median(times) * 1e3:.2f} ms to draw "
         f"(median of {rounds}; worst {max(times) * 1e3:.2f} ms)", "≤ 5 ms"),
        ("keeping the events, 20 send/receive steps", f"{statistics.median(on) * 1e6 / 40:.1f} vs "
         f"{statistics.median(off) * 1e6 / 40:.1f} µs per step, pictures on vs off (median of 30); off: no event "
         "kept, nothing drawn", "nothing when off"),
    ]


if __name__ == "__main__":
    from run import machine

    print(f"Measured on: {machine()}")
    for row in main():
        print(" | ".join(row), flush=True)
