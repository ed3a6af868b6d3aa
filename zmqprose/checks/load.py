"""``expects_load()``: what a load made, how much of it failed, how fast it was answered — read off Locust's own
statistics of the scenario's last load (docs: how-to/pipelines-and-load.md, *Load tests with Locust*); a failure
shows them as a table."""

from __future__ import annotations

import math

from zmqprose.errors import ProseError, checked
from zmqprose.limits import counted
from zmqprose.load.statistics import PERCENTILES, LoadStatistics


@checked
class ExpectsLoad:
    """Expectations about the scenario's last load: each reads Locust's statistics of all its requests together."""

    def __init__(self, statistics: LoadStatistics | None) -> None:
        self._statistics = statistics

    def _load(self) -> LoadStatistics:
        if self._statistics is None:
            raise ProseError("no load was run in this scenario: write 'When I run a load of U users from N Locust "
                             "workers with \"LOCUSTFILE\" for DURATION' first")
        return self._statistics

    def made_at_least(self, count: int) -> None:
        """The load made at least ``count`` requests (failed ones included).

        Example: ``prose.expects_load().made_at_least(1000)``
        """
        stats = self._load()
        if stats.requests < count:
            raise ProseError(f"the load made {counted(stats.requests, 'request')}, fewer than {count:,}\n"
                             f"{stats.table()}")

    def failure_ratio_at_most(self, percent: float) -> None:
        """At most ``percent`` % of the load's requests failed; a load that made no request fails this.

        Example: ``prose.expects_load().failure_ratio_at_most(1)``
        """
        stats = self._load()
        if not stats.requests:
            raise ProseError(f"the load made no request, so it has no failure ratio\n{stats.table()}")
        if stats.failure_ratio * 100 > percent:
            raise ProseError(f"{stats.total.failures:,} of the load's {counted(stats.requests, 'request')} failed "
                             f"({stats.failure_ratio:.2%}), more than {percent:g}%\n{stats.table()}")

    def percentile_at_most(self, percentile: float, milliseconds: float) -> float:
        """The ``percentile``-th percentile of the load's response times (as Locust approximates it, one of
        the percentiles Locust reports) is at most ``milliseconds``; returns it.

        Example: ``prose.expects_load().percentile_at_most(95, 20)``
        """
        stats = self._load()
        key = percentile_key(percentile)
        measured = stats.percentile(key)
        if measured is None:
            raise ProseError(f"the load made no request, so it has no {ordinal(key)} percentile\n{stats.table()}")
        if measured > milliseconds:
            raise ProseError(f"the load's {ordinal(key)} percentile response time was {measured:g} ms, more than "
                             f"{milliseconds:g} ms\n{stats.table()}")
        return measured


def percentile_key(percentile: float) -> str:
    """Locust's name of a percentile (``95`` → ``"95%"``); a clear error for one Locust does not report."""
    key = f"{percentile:g}%" if isinstance(percentile, int | float) and math.isfinite(percentile) else ""
    if key not in PERCENTILES:
        reported = ", ".join(p.rstrip("%") for p in PERCENTILES)
        raise ProseError(f"Locust reports the percentiles {reported} of a load's response times; "
                         f"{percentile!r} is not one of them")
    return key


def ordinal(key: str) -> str:
    """``"95%"`` → ``95th``, ``"99.9%"`` → ``99.9th``."""
    return f"{key.rstrip('%')}th"
