"""Recording: what a recording relay costs, against a healthy link and against no relay at all, in the same run.

The same traffic as ``links.py`` (plain pyzmq on both sides, so the relay is
what is measured):

- Round trip: a REQ and a REP socket of this process, 2,000 request/reply
  pairs of 10 bytes; the median round trip of 7 interleaved rounds, each
  way: direct; through a healthy link (asyncio, in this process); through a
  recording relay in a thread of this process, as the link is, with its
  bounds as they are (2,000 messages kept, the rest relayed without being
  read) and with its bounds raised past the traffic (every message read and
  kept); and through ``zmqprose record`` in a process of its own, as it is used.
- Pipeline: 300,000 messages of 100 B from a PUSH thread to a PULL loop, the
  same five ways, 5 interleaved rounds; the ratio of the median rates to direct.

Target: a recording relay costs no more than a link (today's link: +154 µs a
round trip, 0.79× a pipeline; the link's own target is +50 µs and 0.8×).
"""

from __future__ import annotations

import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import zmq
from common import REPO  # noqa: F401  (puts the repo on the path)

from zmqprose.links.relay import Link
from zmqprose.recording.conversation import Limits
from zmqprose.recording.relay import Relay

PAIRS = 2_000
MESSAGES = 300_000
EVERYTHING = Limits(messages=10_000_000, bytes=1 << 40, connections=1_000)  # decode and keep all of it
WAYS = ("direct", "link", "recorder (thread)", "recorder (thread, reading all)", "zmqprose record (process)")


@contextmanager
def relayed(way: str, port: int) -> Iterator[str]:
    """Where a client connects to reach ``port`` the given way; the relay is closed after the block."""
    if way == "direct":
        yield f"tcp://127.0.0.1:{port}"
    elif way == "link":
        link = Link("bench", "127.0.0.1", port)
        try:
            yield link.endpoint
        finally:
            link.close()
    elif way.startswith("recorder (thread"):
        relay = Relay(("127.0.0.1", 0), ("127.0.0.1", port), EVERYTHING if "all" in way else None)
        thread = threading.Thread(target=relay.run, daemon=True)
        thread.start()
        try:
            yield relay.endpoint
        finally:
            relay.stop()
            thread.join()
    else:
        with tempfile.TemporaryDirectory() as folder:
            process = subprocess.Popen([sys.executable, "-m", "zmqprose", "record", "--listen", "tcp://127.0.0.1:*",
                                        "--to", f"tcp://127.0.0.1:{port}", "--out", f"{folder}/bench.feature",
                                        "--for", "600"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
            try:
                assert process.stdout is not None
                found = re.search(r"listening on (tcp://\S+),", process.stdout.readline())
                assert found, "zmqprose record did not say where it listens"
                yield found[1]
            finally:
                process.terminate()
                process.wait(60)


def round_trip(context: zmq.Context, way: str) -> float:
    """Seconds per request/reply round trip."""
    rep = context.socket(zmq.REP)
    port = rep.bind_to_random_port("tcp://127.0.0.1")
    with relayed(way, port) as endpoint:
        req = context.socket(zmq.REQ)
        req.connect(endpoint)
        rep.rcvtimeo = req.rcvtimeo = 10_000
        for _ in range(50):  # connected and warm
            req.send(b"warm"), rep.send(rep.recv()), req.recv()
        began = time.perf_counter()
        for _ in range(PAIRS):
            req.send(b"0123456789")
            rep.send(rep.recv())
            req.recv()
        seconds = (time.perf_counter() - began) / PAIRS
        req.close(0)
    rep.close(0)
    return seconds


def pipeline(context: zmq.Context, way: str) -> float:
    """Messages per second from a PUSH thread to a PULL loop."""
    pull = context.socket(zmq.PULL)
    port = pull.bind_to_random_port("tcp://127.0.0.1")
    with relayed(way, port) as endpoint:
        push = context.socket(zmq.PUSH)
        push.connect(endpoint)
        pull.rcvtimeo = 10_000
        push.send(b"warm"), pull.recv()
        payload = bytes(100)

        def pump() -> None:
            for _ in range(MESSAGES):
                push.send(payload)

        began = time.perf_counter()
        thread = threading.Thread(target=pump)
        thread.start()
        for _ in range(MESSAGES):
            pull.recv()
        rate = MESSAGES / (time.perf_counter() - began)
        thread.join()
        push.close(0)
    pull.close(0)
    return rate


def rotated(round_number: int) -> tuple[str, ...]:
    """The ways in this round's order: no way always goes first."""
    cut = round_number % len(WAYS)
    return WAYS[cut:] + WAYS[:cut]


def main() -> list[tuple[str, str, str]]:
    context = zmq.Context()
    trips: dict[str, list[float]] = {way: [] for way in WAYS}
    rates: dict[str, list[float]] = {way: [] for way in WAYS}
    for round_number in range(7):
        for way in rotated(round_number):
            trips[way].append(round_trip(context, way))
    for round_number in range(5):
        for way in rotated(round_number):
            rates[way].append(pipeline(context, way))
    context.destroy(0)
    direct_trip, direct_rate = statistics.median(trips["direct"]), statistics.median(rates["direct"])
    rows = []
    for way in WAYS[1:]:
        trip, rate = statistics.median(trips[way]), statistics.median(rates[way])
        rows.append((f"round trip, {way}, {PAIRS:,} REQ/REP pairs",
                     f"{trip * 1e6:.0f} vs {direct_trip * 1e6:.0f} µs direct (median of 7 rounds)",
                     f"+{(trip - direct_trip) * 1e6:.0f} µs (≤ a link's)"))
        rows.append((f"pipeline, {way}, {MESSAGES:,} × 100 B",
                     f"{rate:,.0f} vs {direct_rate:,.0f} msg/s direct (median of 5; rounds "
                     f"{min(rates[way]):,.0f}–{max(rates[way]):,.0f})",
                     f"{rate / direct_rate:.2f}× (≥ a link's)"))
    return rows


if __name__ == "__main__":
    from run import machine

    print(f"Measured on: {machine()}")
    for row in main():
        print(" | ".join(row), flush=True)
