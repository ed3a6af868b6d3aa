"""Parallel runs: this repo's whole suite, serial behave against behavex with two workers.

The figure is the ratio of wall times (parallel / serial; below 1 is faster),
for both of behavex's schemes, medians of three runs each, in turn.
"""

from __future__ import annotations

import functools
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import REPO, alternate

BIN = Path(sys.executable).parent


def wall_time(command: list[str]) -> float:
    """Seconds the command takes from this repo's folder; it must pass."""
    began = time.monotonic()
    subprocess.run(command, cwd=REPO, check=True, capture_output=True, timeout=600)
    return time.monotonic() - began


def main(rounds: int = 3) -> list[tuple[str, str, str]]:
    with tempfile.TemporaryDirectory() as reports:
        parallel = [str(BIN / "behavex"), "--parallel-processes", "2", "--output-folder", reports, "--parallel-scheme"]
        medians = alternate(
            rounds,
            serial=functools.partial(wall_time, [str(BIN / "behave"), "-f", "null"]),
            by_scenario=functools.partial(wall_time, [*parallel, "scenario"]),
            by_feature=functools.partial(wall_time, [*parallel, "feature"]),
        )
    serial = medians["serial"]
    return [
        (f"whole suite, behavex 2 workers by {scheme.removeprefix('by_')}",
         f"{medians[scheme]:.1f} s vs {serial:.1f} s serial", f"{medians[scheme] / serial:.2f}")
        for scheme in ("by_scenario", "by_feature")
    ]


if __name__ == "__main__":
    for row in main():
        print(" | ".join(row))
