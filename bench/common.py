"""What every benchmark needs: the repo's settings, Ogre, and a fair median."""

from __future__ import annotations

import statistics
import sys
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from zmqprose import AppSupervisor, load_settings  # noqa: E402


def ogre() -> AppSupervisor:
    """An AppSupervisor with Ogre started on free ports (use it as a context manager)."""
    settings = load_settings(REPO / "environments", "local")
    apps = AppSupervisor(settings)
    apps.settings.app("ogre")["cwd"] = str(REPO)
    apps.ensure_running("ogre")
    return apps


def ogre_address(apps: AppSupervisor, port: str) -> str:
    """The tcp address of one of Ogre's ports."""
    return f"tcp://127.0.0.1:{apps.settings.app('ogre')[f'{port}_port']}"


def alternate(rounds: int, **variants: Callable[[], float]) -> dict[str, float]:
    """Run the variants in turn, ``rounds`` times each, and return each one's median."""
    results: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(rounds):
        for name, run in variants.items():
            results[name].append(run())
    return {name: statistics.median(values) for name, values in results.items()}
