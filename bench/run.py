"""Run every benchmark and print its figures as a Markdown table: ``python bench/run.py``.

Each figure is a ratio or a bound measured in this run against plain pyzmq,
never an absolute time to compare across machines.
"""

from __future__ import annotations

import datetime
import os
import platform
import sys

import curve_handshake
import diagram
import footprint
import links
import locust_push
import parallel
import per_scenario
import pipeline_speed
import record
import step_overhead
import timeouts

MODULES = {module.__name__: module for module in (pipeline_speed, step_overhead, per_scenario, timeouts, footprint,
                                                  parallel, curve_handshake, diagram, links, locust_push, record)}


def machine() -> str:
    """What the figures were measured on, and when."""
    return (f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"{platform.system()}, {datetime.date.today().isoformat()}")


def main(names: list[str]) -> None:
    print(f"Measured on: {machine()}\n")
    print("| benchmark | measured | figure (target) |")
    print("| --- | --- | --- |")
    for module in [MODULES[name] for name in names] or MODULES.values():
        for row in module.main():
            print("| " + " | ".join(row) + " |", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])  # names of benchmarks (per_scenario, footprint, …) to run only those
