"""Messages a second from a pushing Locust worker, against zmqprose's own pusher, into the same counting sink.

Both push N numbered messages of 100 B (the same 12-byte header) into a PULL
that a **sink** in a process of its own binds and drains with zmqprose's
counting pull, so that the receiving side is the same for both and its cost
is not the pusher's. The sink times from the first message's arrival to the
N-th, so that Locust's start (a second or more: gevent, Locust, the
locustfile) is not counted, and says how busy it was meanwhile (its CPU
seconds over those wall seconds: near 1, the sink is what limits).

- **zmqprose's pusher**: ``prose.using_zmq().push(socket, N, 100)``, the
  ``I push`` phrase's API, from a thread of this process.
- **Locust worker**: ``locust --headless`` running one :class:`zmqprose.locust.PushingUser`
  (``rate = 0``: as fast as ZeroMQ takes them, ``count = N``), a process of its own;
  its CPU while pushing is read from ``/proc`` when the first and the last
  message arrive.

Rounds alternate, the order rotated each round; medians.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import REPO

from zmqprose import Prose, Settings
from zmqprose.apps.ports import free_port

COUNT = 1_000_000
SIZE = 100
ROUNDS = 3
SINK = """
import json, sys, time
from zmqprose import Prose, Settings
count = int(sys.argv[2])
with Prose(Settings({}), timeout=120) as prose:
    sink = prose.using_zmq().bind(sys.argv[1], "PULL", name="sink")
    print("ready", flush=True)
    sink.zmq.poll(120_000)
    began, cpu = time.perf_counter(), time.process_time()
    print("first", flush=True)
    tally = prose.from_zmq_socket(sink).pull(count, 120)
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    print(json.dumps({"seconds": seconds, "cpu": cpu, "unique": tally.unique, "duplicates": tally.duplicates,
                      "out_of_order": tally.out_of_order}), flush=True)
"""
LOCUSTFILE = """
from zmqprose.locust import PushingUser

class Pump(PushingUser):
    endpoint = "{address}"
    rate = 0
    count = {count}
    size = {size}
"""


class Sink:
    """A counting sink in a process of its own, bound to a free port of 127.0.0.1."""

    def __init__(self, count: int) -> None:
        self.address = f"tcp://127.0.0.1:{free_port()}"
        self.process = subprocess.Popen([sys.executable, "-c", SINK, self.address, str(count)], cwd=REPO,
                                        stdout=subprocess.PIPE, text=True)
        assert self.line() == "ready"

    def line(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline().strip()

    def result(self) -> dict[str, float]:
        result: dict[str, float] = json.loads(self.line())
        self.process.wait(30)
        assert result["unique"] == COUNT and not result["duplicates"], result
        return result


def cpu_seconds(pid: int) -> float:
    """A process's user and system CPU so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def zmqprose_pusher(count: int) -> dict[str, float]:
    """zmqprose's own pusher, from a thread of this process: rate, sink busy, pusher CPU a message."""
    sink = Sink(count)
    with Prose(Settings({}), timeout=120) as prose:
        push = prose.using_zmq().connect(sink.address, "PUSH")
        cpu = time.process_time()
        prose.using_zmq().push(push, count, SIZE)
        assert sink.line() == "first"
        result = sink.result()
        pusher_cpu = time.process_time() - cpu
    return {"rate": count / result["seconds"], "sink_busy": result["cpu"] / result["seconds"],
            "cpu_per_message": pusher_cpu / count}


def locust_worker(count: int) -> dict[str, float]:
    """One Locust process running one PushingUser: rate, sink busy, the worker's CPU a message while pushing."""
    sink = Sink(count)
    with tempfile.TemporaryDirectory() as folder:
        locustfile = Path(folder) / "pump.py"
        locustfile.write_text(LOCUSTFILE.format(address=sink.address, count=count, size=SIZE))
        env = {**os.environ, "ZMQPROSE_ENVIRONMENTS": str(REPO / "environments")}
        worker = subprocess.Popen([sys.executable, "-m", "locust", "-f", str(locustfile), "--headless", "-u", "1",
                                   "-r", "1", "-t", "120s", "--only-summary", "--loglevel", "WARNING"],
                                  cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            assert sink.line() == "first"
            cpu = cpu_seconds(worker.pid)
            result = sink.result()
            worker_cpu = cpu_seconds(worker.pid) - cpu
        finally:
            worker.terminate()
            worker.wait(30)
    return {"rate": count / result["seconds"], "sink_busy": result["cpu"] / result["seconds"],
            "cpu_per_message": worker_cpu / count}


def main(count: int = COUNT, rounds: int = ROUNDS) -> list[tuple[str, str, str]]:
    variants = {"zmqprose's pusher": zmqprose_pusher, "a Locust worker": locust_worker}
    results: dict[str, list[dict[str, float]]] = {name: [] for name in variants}
    for round_ in range(rounds):
        names = list(variants)
        for name in names[round_ % len(names):] + names[:round_ % len(names)]:
            results[name].append(variants[name](count))
    rows = []
    for name, runs in results.items():
        rate = statistics.median(run["rate"] for run in runs)
        busy = statistics.median(run["sink_busy"] for run in runs)
        cpu = statistics.median(run["cpu_per_message"] for run in runs)
        spread = f"{min(run['rate'] for run in runs):,.0f}–{max(run['rate'] for run in runs):,.0f}"
        rows.append((f"push {count:,} × {SIZE} B into a counting sink: {name}",
                     f"{rate:,.0f} messages/s (rounds {spread}); sink busy {busy:.0%}; "
                     f"pusher CPU {cpu * 1e6:.2f} µs a message", "for the record"))
    ratio = statistics.median(run["rate"] for run in results["a Locust worker"]) / statistics.median(
        run["rate"] for run in results["zmqprose's pusher"])
    rows.append(("a Locust worker against zmqprose's pusher", f"{ratio:.2f}×", "for the record"))
    return rows


if __name__ == "__main__":
    for row in main():
        print("| " + " | ".join(row) + " |", flush=True)
