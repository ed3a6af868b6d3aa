"""Run every benchmark and print its figures as a Markdown table: ``python bench/run.py``.

Each figure is a ratio or a bound measured in this run against plain pyzmq,
never an absolute time to compare across machines.
"""

from __future__ import annotations

import os
import platform

import curve_handshake
import footprint
import parallel
import pipeline_speed
import step_overhead
import timeouts


def machine() -> str:
    """What the figures were measured on."""
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"


def main() -> None:
    print(f"Measured on: {machine()}\n")
    print("| benchmark | measured | figure (target) |")
    print("| --- | --- | --- |")
    for module in (pipeline_speed, step_overhead, timeouts, footprint, parallel, curve_handshake):
        for row in module.main():
            print("| " + " | ".join(row) + " |", flush=True)


if __name__ == "__main__":
    main()
