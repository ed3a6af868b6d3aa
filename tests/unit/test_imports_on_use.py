"""``import zmqprose.steps`` (what behave's start pays, bench/per_scenario.py: ≤ 120 ms after behave) loads what
every scenario uses; the checks a scenario may not use load when first used, and work then."""

from __future__ import annotations

import subprocess
import sys

OPTIONAL = ("zmqprose.checks.app", "zmqprose.checks.command", "zmqprose.checks.file", "zmqprose.checks.link",
            "zmqprose.checks.pipeline", "zmqprose.checks.stub", "zmqprose.checks.checkpoint",
            "zmqprose.actions.from_environment", "zmqprose.wire.xml_safe")


def loaded_after(code: str) -> list[str]:
    """The optional modules loaded in a fresh interpreter after ``code``."""
    check = f"{code}\nimport sys\nprint(' '.join(name for name in {OPTIONAL!r} if name in sys.modules))"
    ran = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True, timeout=60)
    return ran.stdout.split()


def test_importing_the_steps_loads_no_optional_check():
    assert loaded_after("import behave.runner, zmqprose.steps") == []


def test_an_optional_check_loads_when_first_used_and_works():
    code = ("from zmqprose import Prose\n"
            "with Prose() as prose:\n"
            "    prose.store_text('answer', '42')\n"
            "    prose.expects_checkpoint().has('answer')\n"
            "    assert prose.from_environment() is not None\n")
    assert loaded_after(code) == ["zmqprose.checks.checkpoint", "zmqprose.actions.from_environment"]
