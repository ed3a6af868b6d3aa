"""What Locust counted of a load: its own statistics, as its master wrote them when the load ended.

Nothing here is measured again: the requests, failures, response times and
percentiles are Locust's (its master's totals over every worker; its
percentiles are its own, approximated as Locust approximates them). They
come from the report :mod:`zmqprose.load.master` writes, a JSON file, read
and checked here; :meth:`LoadStatistics.table` shows them as Locust's
console does, bounded, for a failure's message.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zmqprose.errors import ProseError
from zmqprose.limits import counted
from zmqprose.wire.masking import mask_text

PERCENTILES = ("50%", "66%", "75%", "80%", "90%", "95%", "98%", "99%", "99.9%", "99.99%", "100%")  # Locust's own
REPORT_BYTES = 16 << 20  # a report longer than this is not read (the master bounds what it writes far below it)
ROWS_SHOWN = 20  # request names and failures a table shows, the most frequent first
NAME_WIDTH = 40  # characters of a request's name a table shows
ERROR_WIDTH = 160  # characters of a failure's message a table shows


@dataclass(frozen=True)
class Entry:
    """Locust's statistics of one request name (or of all together: the name ``Aggregated``); times in ms."""

    type: str
    name: str
    requests: int
    failures: int
    median: float
    average: float
    min: float
    max: float
    average_size: float
    requests_per_second: float
    failures_per_second: float
    percentiles: Mapping[str, float] = field(default_factory=dict)  # "95%" -> ms; empty if nothing was counted


@dataclass(frozen=True)
class Failure:
    """One kind of failure Locust counted: which request, the error it was reported with, how often."""

    type: str
    name: str
    error: str
    occurrences: int


@dataclass(frozen=True)
class LoadStatistics:
    """Locust's statistics of one load: all requests together, per name, and the failures."""

    total: Entry
    entries: tuple[Entry, ...] = ()
    failures: tuple[Failure, ...] = ()
    entries_left_out: int = 0  # names the master did not write (it writes the most frequent)
    failures_left_out: int = 0

    @property
    def requests(self) -> int:
        """How many requests the load made, failed ones included."""
        return self.total.requests

    @property
    def failure_ratio(self) -> float:
        """The failed requests' share of all requests (0 … 1); a load that made none has no ratio (NaN)."""
        return self.total.failures / self.total.requests if self.total.requests else math.nan

    def percentile(self, percent: str) -> float | None:
        """The response time (ms) below which ``percent`` (``"95%"``) of all requests came, as Locust
        approximates it; None if the load made no request."""
        return self.total.percentiles.get(percent)

    def summary(self) -> str:
        """One line: requests, failures, the median and the 95th percentile."""
        if not self.requests:
            return "no request was made"
        p95 = self.percentile("95%")
        return (f"{counted(self.requests, 'request')}, {self.total.failures:,} failed ({self.failure_ratio:.2%}), "
                f"median {milliseconds(self.total.median)} ms, 95th percentile {milliseconds(p95 or 0)} ms, "
                f"{self.total.requests_per_second:,.1f} requests/s")

    def table(self) -> str:
        """The statistics as Locust's console shows them: requests, response times, percentiles, failures."""
        lines = ["Locust's statistics of the load:", *requests_table(self), "", "Response time percentiles "
                 "(approximated, ms):", *percentiles_table(self)]
        if self.failures:
            lines += ["", "Failures:", *failures_table(self)]
        return "\n".join(f"  {line}" if line else "" for line in lines)


def requests_table(stats: LoadStatistics) -> list[str]:
    """Locust's first table: per name and all together, counts and response times."""
    head = (f"{'Type':<10} {'Name':<{NAME_WIDTH}} {'# reqs':>8} {'# fails':>16} | {'Avg':>7} {'Min':>7} {'Max':>7} "
            f"{'Med':>7} | {'req/s':>8} {'failures/s':>10}")
    rows = [head, "-" * len(head)]
    for entry in [*stats.entries[:ROWS_SHOWN], stats.total]:
        share = f"{entry.failures}({entry.failures / entry.requests:.2%})" if entry.requests else str(entry.failures)
        rows.append(f"{cut(entry.type, 10):<10} {cut(entry.name, NAME_WIDTH):<{NAME_WIDTH}} {entry.requests:>8} "
                    f"{share:>16} | {entry.average:>7.0f} {entry.min:>7.0f} {entry.max:>7.0f} {entry.median:>7.0f} | "
                    f"{entry.requests_per_second:>8.1f} {entry.failures_per_second:>10.1f}")
    left_out = stats.entries_left_out + max(len(stats.entries) - ROWS_SHOWN, 0)
    if left_out:
        rows.insert(-1, f"… and {left_out} more names, fewer requests each")
    return rows


def percentiles_table(stats: LoadStatistics) -> list[str]:
    """Locust's second table: the response time percentiles, per name and all together."""
    head = f"{'Type':<10} {'Name':<{NAME_WIDTH}} " + " ".join(f"{p:>6}" for p in PERCENTILES) + f" {'# reqs':>8}"
    rows = [head, "-" * len(head)]
    for entry in [*stats.entries[:ROWS_SHOWN], stats.total]:
        values = " ".join(f"{entry.percentiles[p]:>6.0f}" if p in entry.percentiles else f"{'N/A':>6}"
                          for p in PERCENTILES)
        rows.append(f"{cut(entry.type, 10):<10} {cut(entry.name, NAME_WIDTH):<{NAME_WIDTH}} {values} "
                    f"{entry.requests:>8}")
    return rows


def failures_table(stats: LoadStatistics) -> list[str]:
    """Locust's error report: each kind of failure, how often, the most frequent first."""
    rows = [f"{'# occurrences':>13}  Type / Name: error"]
    for failure in stats.failures[:ROWS_SHOWN]:
        rows.append(f"{failure.occurrences:>13}  {cut(failure.type, 10)} {cut(failure.name, NAME_WIDTH)}: "
                    f"{cut(failure.error, ERROR_WIDTH)}")
    left_out = stats.failures_left_out + max(len(stats.failures) - ROWS_SHOWN, 0)
    if left_out:
        rows.append(f"… and {left_out} more kinds of failure, rarer each")
    return rows


def milliseconds(value: float) -> str:
    """A time as a person reads it: ``0.16``, ``2.5``, ``250``."""
    return f"{value:.2g}" if value < 10 else f"{value:.0f}"


def cut(text: str, width: int) -> str:
    """``text`` on one line, secrets masked, at most ``width`` characters (an ellipsis where it was cut)."""
    line = mask_text(" ".join(str(text).split()))
    return line if len(line) <= width else line[:width - 1] + "…"


# -- reading the master's report -----------------------------------------------------


def read_report(path: Path) -> LoadStatistics:
    """The statistics the master wrote to ``path`` when the load ended; a clear error if it wrote none."""
    try:
        with path.open("rb") as report:
            data = report.read(REPORT_BYTES + 1)
    except FileNotFoundError:
        raise ProseError(f"Locust's master ended without writing the load's statistics to {path}") from None
    except OSError as error:
        raise ProseError(f"the load's statistics cannot be read from {path}: {error.strerror}") from None
    if len(data) > REPORT_BYTES:
        raise ProseError(f"the load's statistics in {path} are longer than {REPORT_BYTES >> 20} MiB: not read")
    try:
        return statistics_from(json.loads(data))
    except (ValueError, TypeError, KeyError) as error:
        raise ProseError(f"the load's statistics in {path} cannot be read ({error}): was it written by "
                         f"python -m zmqprose.load.master?") from None


def statistics_from(report: Mapping[str, Any]) -> LoadStatistics:
    """A report (as :mod:`zmqprose.load.master` writes it) as statistics; KeyError, TypeError or ValueError if it
    is not one."""
    return LoadStatistics(
        total=entry_from(report["total"]),
        entries=tuple(entry_from(entry) for entry in report["entries"]),
        failures=tuple(Failure(str(failure["type"]), str(failure["name"]), str(failure["error"]),
                               whole(failure["occurrences"])) for failure in report["failures"]),
        entries_left_out=whole(report.get("entries_left_out", 0)),
        failures_left_out=whole(report.get("failures_left_out", 0)),
    )


def entry_from(entry: Mapping[str, Any]) -> Entry:
    """One entry of a report."""
    percentiles = entry["percentiles"]
    if not isinstance(percentiles, Mapping):
        raise TypeError("percentiles must be an object")
    return Entry(
        type=str(entry["type"]), name=str(entry["name"]),
        requests=whole(entry["requests"]), failures=whole(entry["failures"]),
        median=number(entry["median"]), average=number(entry["average"]),
        min=number(entry["min"]), max=number(entry["max"]), average_size=number(entry["average_size"]),
        requests_per_second=number(entry["requests_per_second"]),
        failures_per_second=number(entry["failures_per_second"]),
        percentiles={str(key): number(value) for key, value in percentiles.items()},
    )


def whole(value: Any) -> int:
    """A count of a report: a whole number from 0."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{value!r} is not a count")
    return value


def number(value: Any) -> float:
    """A time, size or rate of a report: a finite number (Locust writes None for a time it has not seen: 0)."""
    if value is None:
        return 0.0
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{value!r} is not a number")
    return float(value)
