"""Footprint: how long ``import zmqprose`` takes, and the memory a million pumped messages need.

Each figure is measured in fresh processes, against plain pyzmq in the same
run: ``import zmq`` alone, and a hand-written push thread and pull loop.
Targets: the import under 150 ms; memory flat (the same after 1,000,000
messages as after 100,000).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys

from common import REPO

IMPORT = "import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"

PUMP = """
import json, resource, sys, threading
sys.path.insert(0, {repo!r}); sys.path.insert(0, {repo!r} + "/bench")
import zmq
from common import ogre, ogre_address
from zmqprose import Prose

def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def handwritten(apps, count):
    context = zmq.Context()
    push, pull = context.socket(zmq.PUSH), context.socket(zmq.PULL)
    push.connect(ogre_address(apps, "pipeline_input")); pull.connect(ogre_address(apps, "pipeline_output"))
    padding = bytes(92)
    def pump():
        for sequence in range(count):
            push.send(sequence.to_bytes(8, "big") + padding)
    thread = threading.Thread(target=pump); thread.start()
    for _ in range(count):
        pull.recv()
    thread.join(); context.destroy(linger=0)

def with_zmqprose(apps, count):
    with Prose(apps.settings, apps) as prose:
        prose.using_zmq().connect("ogre's pipeline input port", "PUSH")
        prose.using_zmq().connect("ogre's pipeline output port", "PULL")
        prose.using_zmq().push("ogre's pipeline input port", count, 100)
        prose.from_zmq_socket("ogre's pipeline output port").pull(count, timeout=300)
        prose.expects_pipeline().lost_nothing()

with ogre() as apps:
    pump = {{"handwritten": handwritten, "zmqprose": with_zmqprose}}[sys.argv[1]]
    pump(apps, 100_000)
    after_100k = peak_mb()
    pump(apps, 1_000_000)
    print(json.dumps({{"after_100k": after_100k, "after_1m": peak_mb()}}))
"""


def import_seconds(module: str, tries: int = 7) -> float:
    """The median time to import ``module`` in a fresh interpreter."""
    times = []
    for _ in range(tries):
        result = subprocess.run([sys.executable, "-c", IMPORT.format(module=module)],
                                capture_output=True, text=True, check=True, cwd=REPO)
        times.append(float(result.stdout))
    return statistics.median(times)


def peak_memory(variant: str) -> dict[str, float]:
    """Peak resident memory (MB) of a process pumping 100,000 then 1,000,000 messages through Ogre."""
    result = subprocess.run([sys.executable, "-c", PUMP.format(repo=str(REPO)), variant],
                            capture_output=True, text=True, check=True, timeout=600)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> list[tuple[str, str, str]]:
    ours, pyzmq = import_seconds("zmqprose"), import_seconds("zmq")
    memory = {variant: peak_memory(variant) for variant in ("handwritten", "zmqprose")}
    mine, theirs = memory["zmqprose"], memory["handwritten"]
    return [
        ("import zmqprose", f"{ours * 1000:.0f} ms (import zmq alone: {pyzmq * 1000:.0f} ms)", "< 150 ms"),
        ("peak memory, 1,000,000 × 100 B",
         f"{mine['after_1m']:.0f} MB (after 100,000: {mine['after_100k']:.0f} MB); "
         f"hand-written: {theirs['after_1m']:.0f} MB", f"{mine['after_1m'] / theirs['after_1m']:.2f}, flat"),
    ]


if __name__ == "__main__":
    for row in main():
        print(" | ".join(row))
