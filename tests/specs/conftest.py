"""Spec-level tests: whole behave runs in processes of their own (faults, processes, another project,
parallel workers, trust). Marked ``slow``: ``pytest -m "not slow"`` runs the unit tests alone."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.slow)
