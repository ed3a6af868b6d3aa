"""Under Then, a condition is only checked: ``Then ogre is running`` fails when ogre is not running, and
starts nothing; a link's ``is healthy``, ``is cut`` and ``is restored`` are checks there too. Each failure
tells a spec that relied on Then making it so (as every phrase did under every keyword) what to write.

It runs behave on ``tests/specs/faults/features/then_only_checks.feature`` in its own process, with
settings of its own: this repository's Ogre, and an app that zmqprose does not start, on Ogre's port.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FAULTS = REPO / "tests" / "specs" / "faults"


def test_under_then_a_condition_is_only_checked_and_a_failure_says_what_to_write(tmp_path):
    ogre = json.loads((REPO / "environments" / "local.json").read_text())["ogre"]
    settings = {"zmqprose": {"timeout": 2}, "ogre": {**ogre, "cwd": str(REPO)},
                "outside": {"control_port": "${ogre.control_port}"}}
    (tmp_path / "local.json").write_text(json.dumps(settings))
    ran = subprocess.run(
        [sys.executable, "-m", "behave", "--no-color", "-f", "plain", "features/then_only_checks.feature",
         "-D", f"environments={tmp_path}"],
        cwd=FAULTS, capture_output=True, text=True, timeout=120)
    output = ran.stdout + ran.stderr
    assert ran.returncode != 0 and "Traceback" not in output, output
    assert "ogre is not running: no step started it in this run; under Then, 'ogre is running' only checks: " \
           "to start it, write 'Given ogre is running'" in output
    assert re.search(r"ogre is not running: ogre \(pid \d+\) .*\n(.*\n)*under Then, 'ogre is running' only "
                     r"checks: to start it, write 'Given ogre is running'\n", output), output
    assert re.search(r"outside is not listening on tcp://127\.0\.0\.1:\d+ \(control_port\)[^\n]*; under Then, "
                     r"'outside is running' only checks: to start it, write 'Given outside is running'", output)
    assert re.search(r'the link "control-link" is not healthy: it stalls \(tcp://127\.0\.0\.1:\d+ -> '
                     r"tcp://127\.0\.0\.1:\d+\); under Then, 'the link \"control-link\" is healthy' only checks: "
                     r"to heal it, write 'When the link \"control-link\" is healthy'", output), output
    # the scenarios after a failed Then show that it started nothing: ogre stayed stopped, twice
    assert "3 scenarios passed, 4 failed" in output, output
