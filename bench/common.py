"""What every benchmark needs: the repo's settings, Ogre, and a fair median."""

from __future__ import annotations

import json
import statistics
import sys
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from zmqprose import AppSupervisor, load_settings  # noqa: E402


def ogre() -> AppSupervisor:
    """An AppSupervisor with Ogre started on free ports (use it as a context manager)."""
    settings = load_settings(REPO / "environments", "local").with_values("ogre", {"cwd": str(REPO)})
    apps = AppSupervisor(settings)
    apps.ensure_running("ogre")
    return apps


def ogre_address(apps: AppSupervisor, port: str) -> str:
    """The tcp address of one of Ogre's ports."""
    return f"tcp://127.0.0.1:{apps.settings.app('ogre')[f'{port}_port']}"


def write_project(folder: Path, features: dict[str, str], steps: dict[str, str], settings: dict) -> Path:
    """A project that uses zmqprose as any other would: its two one-line files, settings, features."""
    (folder / "steps").mkdir()
    (folder / "steps" / "zmqprose_steps.py").write_text("from zmqprose.steps import *  # noqa: F403\n")
    for name, text in steps.items():
        (folder / "steps" / f"{name}.py").write_text(text)
    (folder / "environment.py").write_text("from zmqprose.hooks import *  # noqa: F403\n")
    (folder / "environments").mkdir()
    (folder / "environments" / "local.json").write_text(json.dumps(settings))
    (folder / "features").mkdir()
    for name, text in features.items():
        (folder / "features" / f"{name}.feature").write_text(text)
    return folder


def alternate(rounds: int, **variants: Callable[[], float]) -> dict[str, float]:
    """Run the variants in turn, ``rounds`` times each, and return each one's median."""
    results: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(rounds):
        for name, run in variants.items():
            results[name].append(run())
    return {name: statistics.median(values) for name, values in results.items()}
