"""What zmqprose writes for others to read stays valid whatever an app printed: behave's JUnit report takes
a failure's message as it is, so an app's colours (ESC and other control bytes) in it must not break the XML."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

FAULTS = Path(__file__).resolve().parent / "faults"


def test_a_failure_carrying_coloured_output_leaves_a_junit_report_that_parses(tmp_path: Path) -> None:
    reports = tmp_path / "junit"
    result = subprocess.run(
        [sys.executable, "-m", "behave", "--no-color", "-f", "plain", "features/coloured_output.feature",
         "--junit", "--junit-directory", str(reports)],
        cwd=FAULTS, capture_output=True, text=True, timeout=120,
        env={**os.environ, "TMPDIR": str(tmp_path)},  # the failed run keeps its folder: here, not in /tmp
    )
    assert result.returncode != 0, result.stdout
    [report] = reports.glob("*.xml")
    failure = ElementTree.parse(report).getroot().find(".//failure")
    assert failure is not None
    assert "\\x1b[31mred" in (failure.get("message", "") + (failure.text or ""))  # shown, as its escape
