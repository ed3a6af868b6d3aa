"""A service the spec plays (issue 28, item 1), the mistakes on the way, in a whole behave run: each says that
the spec plays the app and binds its ports first. Before, a connect said "add 'Given played_kernel is
running'", which an app without 'start' cannot do, and 'is running' passed, having checked nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

FAULTS = Path(__file__).resolve().parent / "faults"
PLAYS = ("so the spec plays played_kernel (docs: how-to/play-a-service.md, *Playing a service*); "
         "bind a socket to played_kernel's shell port")


def test_what_needs_a_port_of_a_played_service_before_its_bind_says_to_bind_it_first():
    result = subprocess.run(
        [sys.executable, "-m", "behave", "--no-color", "-f", "plain", "features/played_service.feature",
         "-D", "environments=client_environments"],
        cwd=FAULTS, capture_output=True, text=True, timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Traceback" not in output, output
    assert "0 scenarios passed, 3 failed" in output, output
    assert ("\"played_kernel's shell port\" (played_kernel.shell_port = 0) is a free port that the spec chooses "
            "when it binds it: played_kernel has no 'start', " + PLAYS) in output
    assert ("played_kernel has no 'start', and its ports (played_kernel.shell_port, played_kernel.iopub_port) are "
            "free ports: the spec plays played_kernel, so nothing of it runs to be checked") in output
    assert "cannot start jupyter_run: in its template" in output
    assert "${played_kernel.shell_port} is not known yet" in output
    assert "is running' before this step" not in output
