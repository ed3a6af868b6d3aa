"""Per scenario: a suite of small scenarios, zmqprose's phrases against hand-written behave steps over raw pyzmq.

Each scenario is four PAIR steps (bind, connect, send, receive), over each
transport: ``tcp://`` (a free port of 127.0.0.1) and ``inproc://`` (the same
name in every scenario, as a spec's own scenarios would use it: each must find
it free again). The hand-written suite makes a ``zmq.Context`` in
``before_scenario`` and destroys it in ``after_scenario``, as a careful user
would; its steps call pyzmq and nothing else. Both suites run as whole behave
processes at two sizes (``SMALL`` and ``LARGE`` scenarios), rounds interleaved
and rotated, so that the start-up (imports, hooks, parsing) and the marginal
cost of one more scenario are told apart: marginal = (CPU at LARGE - CPU at
SMALL) / (LARGE - SMALL). CPU is the behave process's own user + system time;
peak memory is its VmHWM at exit. The figures, per transport: the median of the
rounds' ratios of marginal costs with their spread (the middle half of the
rounds, and all; target ≤ 1.1), the same ratio of user time alone (over tcp the
system time swings from run to run: 0.3 to 1.8 s for the same 1,000 scenarios,
seen with thousands of TIME_WAIT sockets left by the runs before), the ratio of
peak memory at LARGE (target ≤ 1.2).

``bench/per_scenario.py ROUNDS BEFORE`` also runs zmqprose as it was, a copy of its
``zmqprose`` folder in the folder BEFORE (``git archive REV zmqprose | tar -x -C
BEFORE``), as a third kind in the same rounds, so that a change is measured
against the code before it under the same noise. CPU time is what a user pays,
but on a shared machine it carries the other work's noise (caches, the
scheduler, the kernel's own state): ``per_scenario_counts.py`` counts what does
not depend on that (instructions, system calls, threads).

Also here: how long ``import zmqprose.steps`` takes in a fresh interpreter,
after ``import behave.runner`` (as behave has done before it loads a step
module) and fully cold, with the bytecode cache warm as an installed package
has it (target ≤ 120 ms after behave).
"""

from __future__ import annotations

import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from common import REPO

SMALL, LARGE = 200, 1000
TRANSPORTS = {"tcp": "tcp://127.0.0.1:*", "inproc": "inproc://pair"}  # what each scenario's server binds

OURS = '''
  Scenario: pair {n}
    Given I bind a PAIR socket to "{address}" as "server"
    And I connect a PAIR socket to the endpoint of "server" as "client"
    When I send "hello {n}" to "client"
    Then I receive "hello {n}" from "server"
'''

HANDWRITTEN = '''
  Scenario: pair {n}
    Given raw: I bind a PAIR socket to "{address}"
    And raw: I connect a PAIR socket to it
    When raw: I send "hello {n}" to the client
    Then raw: I receive "hello {n}" on the server
'''

HANDWRITTEN_STEPS = '''
import zmq
from behave import step


@step('raw: I bind a PAIR socket to "{address}"')
def bind(context, address):
    context.server = context.zmq_context.socket(zmq.PAIR)
    context.server.rcvtimeo = context.server.sndtimeo = 5000
    context.server.bind(address)


@step("raw: I connect a PAIR socket to it")
def connect(context):
    context.client = context.zmq_context.socket(zmq.PAIR)
    context.client.rcvtimeo = context.client.sndtimeo = 5000
    context.client.connect(context.server.last_endpoint.decode())


@step('raw: I send "{text}" to the client')
def send(context, text):
    context.client.send_string(text)


@step('raw: I receive "{text}" on the server')
def receive(context, text):
    received = context.server.recv_string()
    assert received == text, f"{received!r} != {text!r}"
'''

HANDWRITTEN_HOOKS = '''
import zmq


def before_scenario(context, scenario):
    context.zmq_context = zmq.Context()


def after_scenario(context, scenario):
    context.zmq_context.destroy(linger=0)
'''

# behave run in-process, so that the process can report its own CPU time and peak memory when it ends.
RUN_BEHAVE = """
import atexit, json, os, sys
REPORT = sys.argv[1]
def report():
    times = os.times()
    peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
    with open(REPORT, "w") as out:
        json.dump({"cpu": times.user + times.system, "user": times.user, "peak_kb": peak}, out)
atexit.register(report)
sys.argv = ["behave", "-f", "null", "--no-capture"]
from behave.__main__ import main
sys.exit(main())
"""

IMPORT = "import time{pre}; t = time.perf_counter(); import zmqprose.steps; print(time.perf_counter() - t)"


def child_environment(before: str | None = None) -> dict[str, str]:
    """The environment of a measured process: bytecode cached as an installed package has it; with ``before``,
    the zmqprose of that folder imported instead of this one."""
    environment = dict(os.environ)
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    if before is not None:
        environment["PYTHONPATH"] = os.pathsep.join(filter(None, [before, environment.get("PYTHONPATH")]))
    return environment


def snapshot(folder: Path) -> str:
    """A copy of ``zmqprose/`` as it is now, in ``folder``, for the runs of zmqprose's suite to import: the tree may
    change while a benchmark runs (an edit, a commit, a checkout), and a module changed mid-run is compiled
    again by the next process, whose figures then count the compiling (one round of the counts came out
    0.3 M instructions a scenario higher, another 0.1 M lower)."""
    shutil.copytree(REPO / "zmqprose", folder / "zmqprose", ignore=shutil.ignore_patterns("__pycache__"))
    return compiled(str(folder))


def compiled(folder: str | None) -> str | None:
    """``folder`` (a copy of zmqprose's), its bytecode compiled as an installed package has it, so that the first
    run that imports it does not count the compiling."""
    if folder is not None:
        compileall.compile_dir(Path(folder) / "zmqprose", quiet=1)
    return folder


def kinds(before: str | None) -> tuple[str, ...]:
    """The kinds of suite measured: zmqprose's, the hand-written one, and zmqprose as it was (``before``)."""
    return ("ours", "handwritten", "before") if before else ("ours", "handwritten")


def write_suite(folder: Path, kind: str, transport: str, count: int) -> Path:
    """A project of ``count`` scenarios of one kind ("ours", "before" or "handwritten") over ``transport``."""
    project = folder / f"{kind}-{transport}-{count}"
    kind = "ours" if kind == "before" else kind  # the same suite, run with another zmqprose
    (project / "features").mkdir(parents=True, exist_ok=True)
    (project / "steps").mkdir(exist_ok=True)
    if kind == "ours":
        (project / "steps" / "zmqprose_steps.py").write_text("from zmqprose.steps import *  # noqa: F403\n")
        (project / "environment.py").write_text("from zmqprose.hooks import *  # noqa: F403\n")
        (project / "environments").mkdir(exist_ok=True)
        (project / "environments" / "local.json").write_text("{}\n")
    else:
        (project / "steps" / "raw_steps.py").write_text(HANDWRITTEN_STEPS)
        (project / "environment.py").write_text(HANDWRITTEN_HOOKS)
    scenario = OURS if kind == "ours" else HANDWRITTEN
    address = TRANSPORTS[transport]
    text = "Feature: small scenarios\n" + "".join(scenario.format(n=n, address=address) for n in range(count))
    (project / "features" / "pairs.feature").write_text(text)
    return project


def run_suite(project: Path, zmqprose: str | None = None) -> dict[str, float]:
    """CPU seconds and peak kB of one whole behave process over the project (with the zmqprose of the folder
    ``zmqprose``, if given)."""
    report = project / "measured.json"
    subprocess.run([sys.executable, "-c", RUN_BEHAVE, str(report)], cwd=project, check=True,
                   capture_output=True, timeout=600, env=child_environment(zmqprose))
    return json.loads(report.read_text())


def spread(values: list[float]) -> str:
    return f"{min(values):.2f}–{max(values):.2f}"


def middle_half(values: list[float]) -> str:
    """The middle half of ``values`` (its quartiles), as ``low–high``."""
    quartiles = statistics.quantiles(values, n=4, method="inclusive")
    return f"{quartiles[0]:.2f}–{quartiles[2]:.2f}"


def measure(rounds: int, before: str | None = None) -> dict[tuple[str, str, int], list[dict[str, float]]]:
    """Whole behave processes of every kind, transport and size, ``rounds`` times, interleaved and rotated."""
    runs: dict[tuple[str, str, int], list[dict[str, float]]] = {}
    variants = [(kind, transport, count) for transport in TRANSPORTS for kind in kinds(before)
                for count in (SMALL, LARGE)]
    with tempfile.TemporaryDirectory() as folder:
        zmqprose_of = {"ours": snapshot(Path(folder) / "now"), "before": compiled(before)}
        for round_number in range(rounds):
            shift = round_number % len(variants)
            for variant in variants[shift:] + variants[:shift]:
                project = write_suite(Path(folder), *variant)
                runs.setdefault(variant, []).append(run_suite(project, zmqprose_of.get(variant[0])))
    return runs


def marginal_cpu(runs: dict[tuple[str, str, int], list[dict[str, float]]], transport: str,
                 what: str) -> dict[str, list[float]]:
    """Per kind, each round's CPU seconds (``what``: "cpu", user + system, or "user") of one more scenario."""
    return {kind: [(large[what] - small[what]) / (LARGE - SMALL) for small, large in
                   zip(runs[(kind, transport, SMALL)], runs[(kind, transport, LARGE)], strict=True)]
            for kind in ("ours", "handwritten", "before") if (kind, transport, SMALL) in runs}


def per_scenario(rounds: int, before: str | None = None) -> list[tuple[str, str, str]]:
    """Marginal CPU per scenario and peak memory, zmqprose against hand-written, over whole behave processes,
    over each transport (and zmqprose as it was, in the folder ``before``)."""
    runs = measure(rounds, before)
    rows = []
    for transport in TRANSPORTS:
        marginal = marginal_cpu(runs, transport, "cpu")
        ratios = [ours / raw for ours, raw in zip(marginal["ours"], marginal["handwritten"], strict=True)]
        user = marginal_cpu(runs, transport, "user")
        user_ratios = [ours / raw for ours, raw in zip(user["ours"], user["handwritten"], strict=True)]
        start_up = {kind: statistics.median(run["cpu"] for run in runs[(kind, transport, SMALL)])
                    - SMALL * statistics.median(marginal[kind]) for kind in marginal}
        peak = {kind: statistics.median(run["peak_kb"] for run in runs[(kind, transport, LARGE)]) / 1024
                for kind in marginal}
        ours, raw = (statistics.median(marginal[kind]) * 1e3 for kind in ("ours", "handwritten"))
        rows += [
            (f"per scenario over {transport}, 4 PAIR steps, whole behave processes of {SMALL} and {LARGE} scenarios",
             f"{ours:.2f} vs {raw:.2f} ms CPU per scenario; ratios of {rounds} rounds: middle half "
             f"{middle_half(ratios)}, all {spread(ratios)}; user time alone {statistics.median(user_ratios):.2f}× "
             f"(middle half {middle_half(user_ratios)}); start-up {start_up['ours'] * 1e3:.0f} vs "
             f"{start_up['handwritten'] * 1e3:.0f} ms",
             f"{statistics.median(ratios):.2f}× (≤ 1.1)"),
            (f"peak memory over {transport}, {LARGE} scenarios",
             f"{peak['ours']:.0f} MB vs {peak['handwritten']:.0f} MB hand-written",
             f"{peak['ours'] / peak['handwritten']:.2f}× (≤ 1.2)"),
        ]
        if "before" in marginal:
            rows.append(before_row(transport, marginal, rounds))
    return rows


def before_row(transport: str, marginal: dict[str, list[float]], rounds: int) -> tuple[str, str, str]:
    """zmqprose as it was against the hand-written suite and against zmqprose now, in the same rounds."""
    was = [old / raw for old, raw in zip(marginal["before"], marginal["handwritten"], strict=True)]
    now_over_was = [new / old for new, old in zip(marginal["ours"], marginal["before"], strict=True)]
    return (f"per scenario over {transport}, zmqprose before the change, the same rounds",
            f"{statistics.median(marginal['before']) * 1e3:.2f} ms CPU per scenario: "
            f"{statistics.median(was):.2f}× hand-written (middle half {middle_half(was)}); now over before "
            f"{statistics.median(now_over_was):.2f}× (middle half {middle_half(now_over_was)}, {rounds} rounds)",
            f"{statistics.median(was):.2f}× before")


def import_milliseconds(pre: str, tries: int) -> list[float]:
    """Times to import zmqprose.steps in fresh interpreters, after ``pre`` (an import statement or nothing)."""
    subprocess.run([sys.executable, "-c", "import zmqprose.steps"], check=True, env=child_environment())
    times = []
    for _ in range(tries):
        result = subprocess.run([sys.executable, "-c", IMPORT.format(pre=pre)], capture_output=True, text=True,
                                check=True, cwd=REPO, env=child_environment())
        times.append(float(result.stdout) * 1000)
    return times


def import_time(tries: int = 11) -> list[tuple[str, str, str]]:
    after_behave = import_milliseconds("; import behave.runner", tries)
    cold = import_milliseconds("", tries)
    return [("import zmqprose.steps", f"{statistics.median(after_behave):.0f} ms after behave "
             f"({spread(after_behave).replace('.00', '')} ms over {tries}); cold, behave included: "
             f"{statistics.median(cold):.0f} ms", "≤ 120 ms after behave")]


def main(rounds: int = 5, before: str | None = None) -> list[tuple[str, str, str]]:
    return import_time() + per_scenario(rounds, before)


if __name__ == "__main__":
    from run import machine

    print(f"Measured on: {machine()}")
    for row in main(int(sys.argv[1]) if len(sys.argv) > 1 else 5, sys.argv[2] if len(sys.argv) > 2 else None):
        print(" | ".join(row), flush=True)
