"""Pipeline speed: zmqprose's push and pull against a hand-written pyzmq client, through Ogre's pipeline.

Both move the same count of messages of the same size through the same
pass-through service, in the same run, in turn; the ratio of their median
rates is the figure (target: zmqprose ≥ 0.9 of hand-written).
"""

from __future__ import annotations

import functools
import threading
import time

import zmq
from common import alternate, ogre, ogre_address

from zmqprose import Prose


def handwritten(apps, count: int, size: int) -> float:
    """A push thread and a pull loop, as a person would write them with pyzmq; messages per second."""
    context = zmq.Context()
    push, pull = context.socket(zmq.PUSH), context.socket(zmq.PULL)
    push.connect(ogre_address(apps, "pipeline_input"))
    pull.connect(ogre_address(apps, "pipeline_output"))
    time.sleep(0.1)  # a hand-written client's way to let the connections settle; not timed
    padding = bytes(size - 8)

    def pump() -> None:
        for sequence in range(count):
            push.send(sequence.to_bytes(8, "big") + padding)

    began = time.perf_counter()
    pusher = threading.Thread(target=pump)
    pusher.start()
    last, in_order = -1, True
    for _ in range(count):
        sequence = int.from_bytes(pull.recv()[:8], "big")
        in_order &= sequence > last
        last = sequence
    took = time.perf_counter() - began
    pusher.join()
    assert in_order
    context.destroy(linger=0)
    return count / took


def with_zmqprose(apps, count: int, size: int) -> float:
    """The same through the steps' prose API: push in the background, pull and check; messages per second."""
    with Prose(apps.settings, apps) as prose:
        prose.using_zmq().connect("ogre's pipeline input port", "PUSH")
        prose.using_zmq().connect("ogre's pipeline output port", "PULL")
        prose.expects_zmq_socket("ogre's pipeline output port").becomes_connected(2)
        began = time.perf_counter()
        prose.using_zmq().push("ogre's pipeline input port", count, size)
        prose.from_zmq_socket("ogre's pipeline output port").pull(count, timeout=120)
        took = time.perf_counter() - began
        prose.expects_pipeline().lost_nothing()
        prose.expects_pipeline().in_order()
    return count / took


def main(count: int = 200_000, rounds: int = 7) -> list[tuple[str, str, str]]:
    rows = []
    with ogre() as apps:
        for size in (100, 1024):
            medians = alternate(rounds, handwritten=functools.partial(handwritten, apps, count, size),
                                zmqprose=functools.partial(with_zmqprose, apps, count, size))
            rows.append((
                f"pipeline, {count:,} × {size} B",
                f"{medians['zmqprose']:,.0f} vs {medians['handwritten']:,.0f} msg/s",
                f"{medians['zmqprose'] / medians['handwritten']:.2f} (≥ 0.90)",
            ))
    return rows


if __name__ == "__main__":
    for row in main():
        print(" | ".join(row))
