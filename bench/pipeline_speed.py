"""Pipeline speed, measured where the client is the bottleneck.

Every variant moves N numbered messages through a libzmq streamer
(``zmq.proxy(PULL, PUSH)``) in a process of its own, so the device is not
what limits them. Three clients, in the same run, in interleaved rounds (the
order rotated each round):

- **simple**: what a user would write instead: ``push.send(payload)`` in a
  thread, ``pull.recv()`` in a loop; no header, no check.
- **same work**: the checks zmqprose makes, written plainly: a 12-byte header
  (push id, sequence) packed per message, and on the pull side loss,
  duplicates, order and strangers checked per message with one bit each.
- **zmqprose**: the push and pull of the steps' prose API (its rate is from the
  push's start to the pull's end, the time the user waits).

Figures: the median over 15 rounds of (baseline time / zmqprose time), with
its spread (the middle half of the rounds, and all of them: this machine's
other load swings single rounds by half), for 100 B and 1 kB; and the CPU this process spent
per message (``time.process_time``), which says what limits each side. A
fourth figure goes through Ogre's own pipeline: that one is service-bound
(Ogre's proxy thread and both clients share the two cores), and shows it.
"""

from __future__ import annotations

import functools
import os
import statistics
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable

import zmq
from common import ogre, ogre_address

from zmqprose import Prose, Settings

STREAMER = """
import sys, zmq
context = zmq.Context()
source, sink = context.socket(zmq.PULL), context.socket(zmq.PUSH)
source.bind(sys.argv[1]); sink.bind(sys.argv[2])
print("ready", flush=True)
zmq.proxy(source, sink)
"""
HEADER = struct.Struct(">IQ")


class Streamer:
    """A libzmq streamer in a process of its own: messages in at one port, out at another."""

    def __init__(self) -> None:
        from zmqprose.apps.ports import free_ports

        ports = free_ports(2)
        self.input, self.output = (f"tcp://127.0.0.1:{port}" for port in ports)
        self.process = subprocess.Popen([sys.executable, "-c", STREAMER, self.input, self.output],
                                        stdout=subprocess.PIPE, text=True)
        assert self.process.stdout.readline().strip() == "ready"

    def close(self) -> None:
        self.process.kill()
        self.process.wait()


def connected(streamer: Streamer) -> tuple[zmq.Context, zmq.Socket, zmq.Socket]:
    context = zmq.Context()
    push, pull = context.socket(zmq.PUSH), context.socket(zmq.PULL)
    push.connect(streamer.input)
    pull.connect(streamer.output)
    time.sleep(0.05)  # let the connections settle; not timed
    return context, push, pull


def simple(streamer: Streamer, count: int, size: int) -> float:
    """The simplest client a user would write: seconds for the whole run."""
    context, push, pull = connected(streamer)
    payload = bytes(size)

    def pump() -> None:
        for _ in range(count):
            push.send(payload)

    began = time.perf_counter()
    pusher = threading.Thread(target=pump)
    pusher.start()
    for _ in range(count):
        pull.recv()
    took = time.perf_counter() - began
    pusher.join()
    context.destroy(linger=0)
    return took


def same_work(streamer: Streamer, count: int, size: int) -> float:
    """A hand-written client that makes zmqprose's checks, message by message: seconds."""
    context, push, pull = connected(streamer)
    push_id = int.from_bytes(os.urandom(4), "big")

    def pump() -> None:
        message = bytearray(size)
        for sequence in range(count):
            HEADER.pack_into(message, 0, push_id, sequence)
            push.send(message)

    began = time.perf_counter()
    pusher = threading.Thread(target=pump)
    pusher.start()
    seen = bytearray((count + 7) // 8)
    unique = duplicates = out_of_order = foreign = 0
    highest = -1
    while unique < count:
        message = pull.recv()
        sender, sequence = HEADER.unpack_from(message)
        if sender != push_id or sequence >= count:
            foreign += 1
            continue
        byte, bit = sequence >> 3, 1 << (sequence & 7)
        if seen[byte] & bit:
            duplicates += 1
            continue
        seen[byte] |= bit
        unique += 1
        if sequence < highest:
            out_of_order += 1
        highest = max(highest, sequence)
    took = time.perf_counter() - began
    pusher.join()
    assert duplicates == out_of_order == foreign == 0
    context.destroy(linger=0)
    return took


def with_zmqprose(streamer: Streamer, count: int, size: int) -> float:
    """The steps' prose API: push in the background, pull and check: seconds, as the user waits them."""
    with Prose(Settings({"stream": {"input_endpoint": streamer.input, "output_endpoint": streamer.output}}),
               timeout=120) as prose:
        prose.using_zmq().connect("stream's input endpoint", "PUSH")
        prose.using_zmq().connect("stream's output endpoint", "PULL")
        time.sleep(0.05)  # the same settling as the others; not timed
        prose.using_zmq().push("stream's input endpoint", count, size)
        prose.from_zmq_socket("stream's output endpoint").pull(count, timeout=120)
        prose.expects_pipeline().lost_nothing()
        prose.expects_pipeline().in_order()
        return prose.pipeline_rate()[1]


def measured(run: Callable[[], float]) -> tuple[float, float]:
    """Seconds of a run, and the CPU seconds this process spent in it."""
    cpu = time.process_time()
    seconds = run()
    return seconds, time.process_time() - cpu


def rounds_of(variants: dict[str, Callable[[], float]], rounds: int) -> dict[str, list[tuple[float, float]]]:
    """Each variant ``rounds`` times, interleaved, the order rotated every round."""
    names = list(variants)
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in names}
    for round_number in range(rounds):
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            results[name].append(measured(variants[name]))
    return results


def ratio(baseline: list[tuple[float, float]], design: list[tuple[float, float]]) -> tuple[float, str]:
    """The median of baseline time / design time, round by round, and its spread in words:
    the middle half of the rounds (the quartiles) and all of them (lowest–highest)."""
    ratios = [base[0] / ours[0] for base, ours in zip(baseline, design, strict=True)]
    low, _, high = statistics.quantiles(ratios, n=4)
    return statistics.median(ratios), f"middle half {low:.2f}–{high:.2f}, all {min(ratios):.2f}–{max(ratios):.2f}"


def cpu_per_message(results: list[tuple[float, float]], count: int) -> float:
    return statistics.median(cpu for _, cpu in results) / count * 1e6


def through_ogre(count: int, size: int, rounds: int) -> tuple[float, str]:
    """The simple client and zmqprose through Ogre's Python-side pipeline: the service-bound figure."""
    with ogre() as apps:
        streamer = Streamer.__new__(Streamer)
        streamer.input, streamer.output = ogre_address(apps, "pipeline_input"), ogre_address(apps, "pipeline_output")
        results = rounds_of({"simple": functools.partial(simple, streamer, count, size),
                             "zmqprose": functools.partial(with_zmqprose, streamer, count, size)}, rounds)
    return ratio(results["simple"], results["zmqprose"])


def main(count: int = 300_000, rounds: int = 15) -> list[tuple[str, str, str]]:
    rows = []
    streamer = Streamer()
    try:
        for size in (100, 1024):
            results = rounds_of({
                "simple": functools.partial(simple, streamer, count, size),
                "same work": functools.partial(same_work, streamer, count, size),
                "zmqprose": functools.partial(with_zmqprose, streamer, count, size),
            }, rounds)
            for baseline, target in (("simple", "≥ 1.3, goal 1.7"), ("same work", "≥ 1.0")):
                middle, spread = ratio(results[baseline], results["zmqprose"])
                rows.append((
                    f"pipeline vs {baseline} client, {count:,} × {size} B, libzmq streamer",
                    f"{count / statistics.median(t for t, _ in results['zmqprose']):,.0f} vs "
                    f"{count / statistics.median(t for t, _ in results[baseline]):,.0f} msg/s; "
                    f"{spread}; "
                    f"CPU here {cpu_per_message(results['zmqprose'], count):.2f} vs "
                    f"{cpu_per_message(results[baseline], count):.2f} µs/msg",
                    f"{middle:.2f} ({target})",
                ))
    finally:
        streamer.close()
    middle, spread = through_ogre(count // 3, 100, rounds)
    rows.append((f"pipeline vs simple client, {count // 3:,} × 100 B, through Ogre (service-bound)",
                 spread, f"{middle:.2f} (the service limits both)"))
    return rows


if __name__ == "__main__":
    for row in main(*(int(argument) for argument in sys.argv[1:])):
        print(" | ".join(row), flush=True)
