"""Per scenario, counted: the suites of ``per_scenario.py``, by what does not depend on the machine's other work.

CPU time is what a user pays, but on a shared machine it carries everybody
else's noise: caches and cores taken by other processes, and over tcp the
kernel's own state (the system time of the same 1,000 scenarios swung from
0.3 to 1.8 s with thousands of TIME_WAIT sockets left by earlier runs). So
the same suites (four PAIR steps a scenario, zmqprose's phrases against
hand-written steps over raw pyzmq with a context per scenario, over tcp and
inproc) are counted here, as marginal figures per scenario (the difference of
two suite sizes, so that start-up is not counted), and each is set against
the hand-written suite's:

- **Instructions**, by valgrind's callgrind (``Ir``, every thread of the
  behave process): the same run gives the same count within about 0.1 %
  whatever else the machine does. Its limits: user space only (what the
  kernel does in system calls is not counted: see the next figure), and an
  instruction is not a time (a cache miss, a lock's contention, a thread's
  wake-up cost more than their instructions). valgrind runs one thread at a
  time, so what waits on another thread waits longer, but a blocking wait
  costs no instructions. Suites of ``SMALL`` and ``LARGE`` scenarios (valgrind
  is about 50 times slower).
- **System calls, new threads, context switches**, by ``perf stat`` and the
  kernel's tracepoints (``raw_syscalls:sys_enter``, ``task:task_newtask``),
  at full speed, over the sizes of ``per_scenario.py``: what the kernel is
  asked to do, the part of the cost that callgrind does not see. Counts,
  not times: a ``close`` of a tcp socket costs more than a ``getpid``. How many
  waits end in a context switch depends a little on timing (and so on the
  machine's load): the spread of the rounds says how much.

``bench/per_scenario_counts.py ROUNDS BEFORE`` also counts zmqprose as it
was, a copy of its ``zmqprose`` folder in the folder BEFORE (``git archive REV
zmqprose | tar -x -C BEFORE``), in the same rounds. Bytecode is compiled by an
uncounted run of every suite first, and ``PYTHONHASHSEED`` is fixed, so that
the counts repeat.
"""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from per_scenario import RUN_BEHAVE, TRANSPORTS, child_environment, kinds, middle_half, snapshot, write_suite

SMALL, LARGE = 20, 100  # scenarios of the suites run under callgrind
PERF_SMALL, PERF_LARGE = 200, 1000  # and under perf stat
PERF_EVENTS = {"raw_syscalls:sys_enter": "system calls", "task:task_newtask": "threads",
               "context-switches": "context switches"}
COLLECTED = re.compile(r"Collected : (\d+)")

Counts = dict[str, float]


def environment(zmqprose: str | None) -> dict[str, str]:
    """A measured process's environment: fixed hashing, and the zmqprose of the folder ``zmqprose`` (if given)."""
    env = child_environment(zmqprose)
    env["PYTHONHASHSEED"] = "0"
    return env


def behave(project: Path, zmqprose: str | None, tool: list[str]) -> subprocess.CompletedProcess[str]:
    """One whole behave process over the project, under ``tool`` (a command line that ends where Python's starts)."""
    command = [*tool, sys.executable, "-c", RUN_BEHAVE, str(project / "measured.json")]
    return subprocess.run(command, cwd=project, check=True, capture_output=True, text=True, timeout=3600,
                          env=environment(zmqprose))


def instructions(project: Path, zmqprose: str | None) -> Counts:
    """The instructions one behave process over the project ran, in all its threads (callgrind's ``Ir``)."""
    out = project / "callgrind.out"
    ran = behave(project, zmqprose, ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                                     "--dump-instr=no", "--collect-jumps=no"])
    out.unlink(missing_ok=True)
    found = COLLECTED.search(ran.stderr)
    if found is None:
        raise RuntimeError(f"callgrind said no count: {ran.stderr[-500:]}")
    return {"instructions": float(found.group(1))}


def kernel_counts(project: Path, zmqprose: str | None) -> Counts:
    """System calls, new threads and context switches of one behave process over the project (perf stat)."""
    out = project / "perf.csv"
    behave(project, zmqprose, ["perf", "stat", "-x", ",", "-o", str(out), "-e", ",".join(PERF_EVENTS), "--"])
    counts = {}
    for line in out.read_text().splitlines():
        fields = line.split(",")
        if len(fields) > 2 and fields[2] in PERF_EVENTS:
            counts[PERF_EVENTS[fields[2]]] = float(fields[0])
    return counts


def count(rounds: int, before: str | None, sizes: tuple[int, int],
          measure: Callable[[Path, str | None], Counts]) -> dict[tuple, list[Counts]]:
    """Every kind, transport and size ``rounds`` times, interleaved and rotated, after one uncounted run of each;
    zmqprose's suite imports a copy of ``zmqprose/`` taken as it begins (the tree may change meanwhile)."""
    runs: dict[tuple, list[Counts]] = {}
    variants = [(kind, transport, size) for transport in TRANSPORTS for kind in kinds(before) for size in sizes]
    with tempfile.TemporaryDirectory() as folder:
        zmqprose_of = {"ours": snapshot(Path(folder) / "now"), "before": before}
        projects = {variant: write_suite(Path(folder), *variant) for variant in variants}
        for variant in variants:  # compiles the bytecode of every module the suite imports
            behave(projects[variant], zmqprose_of.get(variant[0]), [])
        for round_number in range(rounds):
            shift = round_number % len(variants)
            for variant in variants[shift:] + variants[:shift]:
                runs.setdefault(variant, []).append(measure(projects[variant], zmqprose_of.get(variant[0])))
    return runs


def marginal(runs: dict[tuple, list[Counts]], kind: str, transport: str, what: str,
             sizes: tuple[int, int]) -> list[float]:
    """Each round's count of one more scenario."""
    small, large = sizes
    return [(big[what] - little[what]) / (large - small) for little, big in
            zip(runs[(kind, transport, small)], runs[(kind, transport, large)], strict=True)]


def rows_of(runs: dict[tuple, list[Counts]], before: str | None, sizes: tuple[int, int],
            whats: list[str]) -> list[tuple[str, str, str]]:
    rows = []
    for transport in TRANSPORTS:
        for what in whats:
            per_kind = {kind: marginal(runs, kind, transport, what, sizes) for kind in kinds(before)}
            median = {kind: statistics.median(values) for kind, values in per_kind.items()}
            ratios = {kind: [ours / raw if raw else float("nan") for ours, raw in
                             zip(values, per_kind["handwritten"], strict=True)]
                      for kind, values in per_kind.items() if kind != "handwritten"}
            shown = "; ".join(
                f"{kind} {median[kind]:,.0f} ({statistics.median(ratios[kind]):.3f}×"
                + (f", middle half {middle_half(ratios[kind])}" if len(ratios[kind]) > 1 else "") + ")"
                for kind in ratios)
            rows.append((f"{what} per scenario over {transport}, {sizes[0]} and {sizes[1]} scenarios",
                         f"{shown}; hand-written {median['handwritten']:,.0f}",
                         f"{statistics.median(ratios['ours']):.3f}× hand-written"))
    return rows


def main(rounds: int = 1, before: str | None = None) -> list[tuple[str, str, str]]:
    rows = []
    if shutil.which("perf"):
        runs = count(max(rounds, 3), before, (PERF_SMALL, PERF_LARGE), kernel_counts)
        rows += rows_of(runs, before, (PERF_SMALL, PERF_LARGE), list(PERF_EVENTS.values()))
    if shutil.which("valgrind"):
        runs = count(rounds, before, (SMALL, LARGE), instructions)
        rows += rows_of(runs, before, (SMALL, LARGE), ["instructions"])
    return rows


if __name__ == "__main__":
    from run import machine

    print(f"Measured on: {machine()}")
    for row in main(int(sys.argv[1]) if len(sys.argv) > 1 else 1, sys.argv[2] if len(sys.argv) > 2 else None):
        print(" | ".join(row), flush=True)
