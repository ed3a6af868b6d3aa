"""behave's own catalog of a project's steps (``behave --steps-catalog``) shows each of zmqprose's phrases
once, as the README writes it, with what it does and an example; a project's own steps as behave shows them.

A project is written into a temporary folder and behave runs there, in a process of its own.
"""

from __future__ import annotations

import subprocess
import sys

import zmqprose.steps  # noqa: F401  (registers the phrases, for the catalog's entries)
from zmqprose.steps import catalog

OWN_STEPS = '''
from behave import step


@step("the ogre answers {count:d} pings")
def answers_pings(context, count):
    """Mine: ping the ogre."""
'''


def test_behaves_catalog_shows_each_phrase_once_as_the_readme_writes_it(tmp_path):
    (tmp_path / "steps").mkdir()
    (tmp_path / "steps" / "zmqprose_steps.py").write_text("import zmqprose.steps  # noqa: F401  (the phrases)\n")
    (tmp_path / "steps" / "mine.py").write_text(OWN_STEPS)
    (tmp_path / "features").mkdir()
    (tmp_path / "features" / "empty.feature").write_text("Feature: nothing yet\n")
    ran = subprocess.run([sys.executable, "-m", "behave", "--steps-catalog", "--no-color"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=60)
    shown = ran.stdout
    assert ran.returncode == 0, shown + ran.stderr
    for entry in catalog.entries():
        assert shown.count(f"{entry.keywords} {entry.phrase}\n") == 1, f"{entry.phrase}:\n{shown}"
        assert f"    {entry.purpose}\n    e.g. {entry.example}\n" in shown, entry.phrase
    assert "{socket:Socket}" not in shown and "\n When " not in shown  # no parse syntax, no phrase thrice
    assert "Given/When/Then the ogre answers {count:d} pings\n    Mine: ping the ogre.\n" in shown
