"""Links: what a healthy link costs, against the same traffic without it, in the same run.

- Round trip: a REQ and a REP socket of this process, 2,000 request/reply
  pairs of 10 bytes, through a link and directly; the median round trip of
  7 interleaved rounds (target: the link adds at most 50 µs).
- Pipeline: 300,000 messages of 100 B from a PUSH thread to a PULL loop,
  through a link and directly, 5 interleaved rounds; the ratio of the
  median rates (target ≥ 0.8).

Both sides are plain pyzmq, so what is measured is the link: one asyncio
loop relaying in Python, in this process, beside the sockets' own I/O
threads, on two shared cores.
"""

from __future__ import annotations

import statistics
import threading
import time

import zmq
from common import REPO  # noqa: F401  (puts the repo on the path)

from zmqprose.links.relay import Link

PAIRS = 2_000
MESSAGES = 300_000


def connected(context: zmq.Context, server_type: int, client_type: int,
              through_link: bool) -> tuple[zmq.Socket, zmq.Socket, Link | None]:
    """A server socket on a free port and a client connected to it, directly or through a link."""
    server = context.socket(server_type)
    port = server.bind_to_random_port("tcp://127.0.0.1")
    link = Link("bench", "127.0.0.1", port) if through_link else None
    client = context.socket(client_type)
    client.connect(link.endpoint if link else f"tcp://127.0.0.1:{port}")
    server.rcvtimeo = client.rcvtimeo = 10_000
    return server, client, link


def round_trip(context: zmq.Context, through_link: bool) -> float:
    """Seconds per request/reply round trip."""
    rep, req, link = connected(context, zmq.REP, zmq.REQ, through_link)
    for _ in range(50):  # connected and warm
        req.send(b"warm"), rep.send(rep.recv()), req.recv()
    began = time.perf_counter()
    for _ in range(PAIRS):
        req.send(b"0123456789")
        rep.send(rep.recv())
        req.recv()
    seconds = (time.perf_counter() - began) / PAIRS
    req.close(0), rep.close(0)
    if link:
        link.close()
    return seconds


def pipeline(context: zmq.Context, through_link: bool) -> float:
    """Messages per second from a PUSH thread to a PULL loop."""
    pull, push, link = connected(context, zmq.PULL, zmq.PUSH, through_link)
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
    push.close(0), pull.close(0)
    if link:
        link.close()
    return rate


def main() -> list[tuple[str, str, str]]:
    context = zmq.Context()
    trips: dict[bool, list[float]] = {True: [], False: []}
    rates: dict[bool, list[float]] = {True: [], False: []}
    for round_number in range(7):
        for through in ((True, False) if round_number % 2 else (False, True)):
            trips[through].append(round_trip(context, through))
    for round_number in range(5):
        for through in ((True, False) if round_number % 2 else (False, True)):
            rates[through].append(pipeline(context, through))
    context.destroy(0)
    linked, direct = statistics.median(trips[True]), statistics.median(trips[False])
    ratio = statistics.median(rates[True]) / statistics.median(rates[False])
    return [
        (f"round trip through a healthy link, {PAIRS:,} REQ/REP pairs",
         f"{linked * 1e6:.0f} vs {direct * 1e6:.0f} µs direct (median of 7 rounds)",
         f"+{(linked - direct) * 1e6:.0f} µs (≤ +50 µs)"),
        (f"pipeline through a healthy link, {MESSAGES:,} × 100 B",
         f"{statistics.median(rates[True]):,.0f} vs {statistics.median(rates[False]):,.0f} msg/s direct "
         f"(median of 5 rounds; link rounds {min(rates[True]):,.0f}–{max(rates[True]):,.0f})",
         f"{ratio:.2f}× (≥ 0.8)"),
    ]


if __name__ == "__main__":
    from run import machine

    print(f"Measured on: {machine()}")
    for row in main():
        print(" | ".join(row), flush=True)
