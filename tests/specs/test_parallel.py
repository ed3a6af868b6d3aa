"""Suites that run side by side: free ports everywhere, one Ogre per run."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_two_copies_of_the_suite_at_the_same_time_both_pass():
    runs = [subprocess.Popen([sys.executable, "-m", "behave", "--no-color", "-f", "plain", "--no-skipped"], cwd=REPO,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=300)[0] for run in runs]
    for run, output in zip(runs, outputs, strict=True):
        assert run.returncode == 0, failures_in(output)
        assert " 0 failed" in output.splitlines()[-3], output


def failures_in(output: str) -> str:
    """The failed steps of a plain-format run, with their messages and action logs."""
    blocks = output.split("\n\n")
    return "\n\n".join(block for block in blocks if "failed" in block or "Assertion" in block) or output
