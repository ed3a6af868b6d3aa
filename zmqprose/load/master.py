"""Locust's own master, which also writes the load's statistics for zmqprose's checks when it quits.

Locust prints its final statistics on the console, writes them as JSON
without its failures (``--json-file``), and refreshes its CSV files only
every second, so that their last state may miss the end. This runs Locust's
own command, unchanged, and when it quits (its runner stopped, every
worker's last statistics in) writes its totals, its statistics per request
name and its failures, with Locust's own percentiles, to the JSON file that
``ZMQPROSE_LOAD_REPORT`` names; :mod:`zmqprose.load.statistics` reads it.
What it writes is bounded: the most frequent names and failures.

Started by :mod:`zmqprose.load.run` as
``python -c "import locust; from zmqprose.load.master import main; main()" ARGS…``:
Locust patches the standard library for gevent when it is imported, which
must come before anything else (``python -m`` would import zmqprose first).
Nothing in zmqprose imports this module.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import locust.main
from locust import events
from locust.env import Environment
from locust.stats import PERCENTILES_TO_REPORT, RequestStats, StatsEntry, StatsError, get_readable_percentiles

from zmqprose.files import write_inside

REPORT_VARIABLE = "ZMQPROSE_LOAD_REPORT"  # where the report goes
ENTRIES_KEPT = 200  # request names written, the most requested first
FAILURES_KEPT = 100  # kinds of failure written, the most frequent first
ERROR_KEPT = 2_000  # characters of one failure's message written

_environment: list[Environment] = []  # the master's, once Locust has made it


def main() -> None:
    """Run Locust's command with this process's arguments, writing the report when Locust quits."""
    events.init.add_listener(remember)  # type: ignore[no-untyped-call]  # Locust's events have no type hints
    events.quit.add_listener(write_report)  # type: ignore[no-untyped-call]
    locust.main.main()  # type: ignore[no-untyped-call]


def remember(environment: Environment, **_: Any) -> None:
    """Locust made its environment: its runner's statistics are read when it quits."""
    _environment[:] = [environment]


def write_report(**_: Any) -> None:
    """Locust quits: write its statistics where ``ZMQPROSE_LOAD_REPORT`` says (nothing, if it says nowhere)."""
    target = os.environ.get(REPORT_VARIABLE)
    if not target or not _environment or _environment[0].runner is None:
        return
    path = Path(target)
    write_inside(path.parent, path.name, json.dumps(report(_environment[0].runner.stats)))


def report(stats: RequestStats) -> dict[str, Any]:
    """Locust's statistics as plain values: all requests together, per name, and the failures."""
    entries = sorted(stats.entries.values(), key=lambda entry: -entry.num_requests)
    failures = sorted(stats.errors.values(), key=lambda failure: -failure.occurrences)
    return {
        "total": entry_report(stats.total),
        "entries": [entry_report(entry) for entry in entries[:ENTRIES_KEPT]],
        "entries_left_out": max(len(entries) - ENTRIES_KEPT, 0),
        "failures": [failure_report(failure) for failure in failures[:FAILURES_KEPT]],
        "failures_left_out": max(len(failures) - FAILURES_KEPT, 0),
    }


def entry_report(entry: StatsEntry) -> dict[str, Any]:
    """One entry's statistics, with its percentiles as Locust computes them (none if nothing was counted)."""
    percentiles = {} if not entry.num_requests else {
        readable: entry.get_response_time_percentile(fraction)
        for readable, fraction in zip(get_readable_percentiles(PERCENTILES_TO_REPORT), PERCENTILES_TO_REPORT,
                                      strict=True)}
    return {
        "type": entry.method or "", "name": entry.name,
        "requests": entry.num_requests, "failures": entry.num_failures,
        "median": entry.median_response_time, "average": entry.avg_response_time,
        "min": entry.min_response_time or 0, "max": entry.max_response_time,
        "average_size": entry.avg_content_length,
        "requests_per_second": entry.total_rps, "failures_per_second": entry.total_fail_per_sec,
        "percentiles": percentiles,
    }


def failure_report(failure: StatsError) -> dict[str, Any]:
    """One kind of failure: its request, its message as Locust keeps it, how often it happened."""
    return {"type": failure.method or "", "name": failure.name,
            "error": StatsError.parse_error(failure.error)[:ERROR_KEPT], "occurrences": failure.occurrences}
