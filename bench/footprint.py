"""Footprint: how long ``import zmqprose`` takes, and the memory ten million pumped messages need.

Each figure is measured in fresh processes, against plain pyzmq in the same
run: ``import zmq`` alone, and a hand-written push thread and pull loop.
Targets: the import under 150 ms; memory flat (the same after 10,000,000
messages as after 1,000,000).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys

from common import REPO

IMPORT = "import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"

PUMP = """
import json, sys, threading
sys.path.insert(0, {repo!r}); sys.path.insert(0, {repo!r} + "/bench")
import zmq
from pipeline_speed import Streamer
from zmqprose import Prose, Settings

def peak_mb():
    # VmHWM: this process's own peak. (getrusage's ru_maxrss survives exec: a child of a big
    # process reports its parent's peak, as bench/run.py's children did.)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024

def handwritten(streamer, count):
    context = zmq.Context()
    push, pull = context.socket(zmq.PUSH), context.socket(zmq.PULL)
    push.connect(streamer.input); pull.connect(streamer.output)
    padding = bytes(92)
    def pump():
        for sequence in range(count):
            push.send(sequence.to_bytes(8, "big") + padding)
    thread = threading.Thread(target=pump); thread.start()
    for _ in range(count):
        pull.recv()
    thread.join(); context.destroy(linger=0)

def with_zmqprose(streamer, count):
    with Prose(Settings({{}})) as prose:
        prose.using_zmq().connect(streamer.input, "PUSH")
        prose.using_zmq().connect(streamer.output, "PULL")
        prose.using_zmq().push(streamer.input, count, 100)
        prose.from_zmq_socket(streamer.output).pull(count, timeout=300)
        prose.expects_pipeline().lost_nothing()

streamer = Streamer()
try:
    pump = {{"handwritten": handwritten, "zmqprose": with_zmqprose}}[sys.argv[1]]
    pump(streamer, 1_000_000)
    after_1m = peak_mb()
    pump(streamer, 10_000_000)
    print(json.dumps({{"after_1m": after_1m, "after_10m": peak_mb()}}))
finally:
    streamer.close()
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
    """Peak resident memory (MB) of a process pumping 1,000,000 then 10,000,000 messages of 100 B through a
    libzmq streamer (so that the service does not hold the client back)."""
    result = subprocess.run([sys.executable, "-c", PUMP.format(repo=str(REPO)), variant],
                            capture_output=True, text=True, check=True, timeout=600)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> list[tuple[str, str, str]]:
    ours, pyzmq = import_seconds("zmqprose"), import_seconds("zmq")
    memory = {variant: peak_memory(variant) for variant in ("handwritten", "zmqprose")}
    mine, theirs = memory["zmqprose"], memory["handwritten"]
    return [
        ("import zmqprose", f"{ours * 1000:.0f} ms (import zmq alone: {pyzmq * 1000:.0f} ms)", "< 150 ms"),
        ("peak memory, 10,000,000 × 100 B, libzmq streamer",
         f"{mine['after_10m']:.0f} MB (after 1,000,000: {mine['after_1m']:.0f} MB); "
         f"hand-written: {theirs['after_10m']:.0f} MB",
         f"+{mine['after_10m'] - mine['after_1m']:.1f} MB from 1 to 10 million (the tally's bitmap, one bit a "
         f"message, grows by 1.1 MB): flat"),
    ]


if __name__ == "__main__":
    for row in main():
        print(" | ".join(row))
