"""The example project of the how-to guides (docs/how-to/jobs/: a dispatcher, a worker, their settings and
their specs, which *A service and a worker* and *Recipes* include as they are) passes, as a project of a
reader's own: the two one-line files ``zmqprose init`` writes beside it, and behave in its folder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
JOBS = REPO / "docs" / "how-to" / "jobs"


def test_the_dispatcher_and_the_worker_of_the_how_to_guides_pass_their_specs(tmp_path):
    project = tmp_path / "jobs"
    shutil.copytree(JOBS, project)
    (project / "steps").mkdir()
    (project / "steps" / "zmqprose_steps.py").write_text("import zmqprose.steps  # noqa: F401\n")
    (project / "environment.py").write_text("from zmqprose.hooks import *  # noqa: F403\n")
    result = subprocess.run([sys.executable, "-m", "behave", "--no-color", "-f", "json", "-o", "report.json",
                             "-f", "plain"], cwd=project, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "TMPDIR": str(tmp_path)})  # a failed run keeps its folder here
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads((project / "report.json").read_text())
    ran = [element["status"] for feature in report for element in feature["elements"] if element["type"] == "scenario"]
    written = sum(path.read_text().count("Scenario:") for path in (JOBS / "features").glob("*.feature"))
    assert ran == ["passed"] * written and written >= 7
