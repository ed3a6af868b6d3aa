"""Editors find every phrase: the Cucumber Language Service (the engine of VS Code's Cucumber extension),
headless in node as tests/editors/ pins it, over a project made by ``zmqprose init`` and over this
repository's features.

The project's settings are those ``zmqprose init`` wrote: its glue is the step modules where zmqprose is
installed (here the editable source tree, outside the project: VS Code could not reach it, a headless run
can), its parameter types zmqprose's own. CI installs the service (``.ci/run``: ``npm ci`` in tests/editors);
without node and npm these tests are skipped, saying so.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import zmqprose.steps  # registers the phrases
from zmqprose.steps.editors import parameter_types
from zmqprose.steps.vocabulary import REGISTERED

REPO = Path(__file__).resolve().parents[2]
EDITORS = REPO / "tests" / "editors"
STEPS = Path(zmqprose.steps.__file__).resolve().parent


@pytest.fixture(scope="module")
def service() -> Path:
    """The headless service's script, its node packages installed (``npm ci``) if they are not yet."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are not installed: the Cucumber Language Service cannot run here (CI has them)")
    if not (EDITORS / "node_modules" / "@cucumber" / "language-service").is_dir():
        installed = subprocess.run(["npm", "ci", "--ignore-scripts", "--omit=optional", "--no-audit", "--no-fund"],
                                   cwd=EDITORS, capture_output=True, text=True, timeout=600)
        if installed.returncode != 0:
            why = (installed.stderr.strip().splitlines() or ["(no output)"])[-1]
            if os.environ.get("ZMQPROSE_CI_RUN"):
                pytest.fail(f"npm ci in tests/editors failed: {why}")
            pytest.skip(f"npm ci in tests/editors failed (no network?): {why}")
    return EDITORS / "index_steps.mjs"


def index(script: Path, root: Path, *arguments: str) -> dict:
    """What the service finds in a project: its step definitions, rejected ones, undefined steps, completions."""
    ran = subprocess.run(["node", str(script), "--root", str(root), *arguments], capture_output=True, text=True,
                         timeout=120)
    assert ran.returncode == 0, ran.stdout[-2000:] + ran.stderr
    return json.loads(ran.stdout)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("project")
    made = subprocess.run([sys.executable, "-m", "zmqprose", "init"], cwd=folder, capture_output=True, text=True)
    assert made.returncode == 0, made.stderr
    return folder


@pytest.fixture(scope="module")
def found(service, project) -> dict:
    return index(service, project, "--settings", str(project / ".vscode" / "settings.json"),
                 "--features", "features/**/*.feature", "--features", f"{REPO.as_posix()}/features/**/*.feature",
                 "--complete", "I connect a", "--complete", "I receive a")


def test_the_service_indexes_every_phrase_from_the_settings_init_wrote(found):
    assert found["versions"]["@cucumber/language-service"] == "1.7.0"
    assert found["errors"] == []  # no phrase rejected (an undeclared parameter type rejects one)
    assert sorted(step["expression"] for step in found["stepDefinitions"]) == \
        sorted(phrase.pattern for phrase in REGISTERED)
    assert {step["kind"] for step in found["stepDefinitions"]} == {"CucumberExpression"}


def test_no_step_of_this_repositorys_features_nor_of_the_first_spec_is_undefined(found):
    features = sorted(REPO.glob("features/*.feature"))
    assert len(found["featureFiles"]) == len(features) + 1  # and the project's features/echo.feature
    assert found["stepCount"] > 400
    assert found["undefinedSteps"] == [], "\n".join(
        f"{step['file']}:{step['line']}: {step['keyword']} {step['text']}" for step in found["undefinedSteps"])


def test_completions_are_offered_for_the_phrases_being_typed(found):
    connect = {item["label"]: item["insertText"] for item in found["completions"]["I connect a"]}
    pattern = next(phrase.pattern for phrase in REGISTERED if phrase.func.__name__ == "connect")
    assert connect[pattern].startswith("I connect a ${1|")  # a template, the types seen in features as choices
    receive = {item["label"] for item in found["completions"]["I receive a"]}
    assert {phrase.pattern for phrase in REGISTERED if phrase.func.__module__.endswith("receiving")
            and phrase.func.__name__ != "receive_nothing" and " a " in phrase.pattern} <= receive


def test_a_phrase_declared_the_old_way_is_not_found(service, tmp_path):
    """The checks above hold because of how the phrases are declared: a pattern built at run time is read as its
    literal part alone (the same count of step definitions, but not the phrase), and its steps are undefined."""
    old_way = tmp_path / "steps"
    shutil.copytree(STEPS, old_way, ignore=shutil.ignore_patterns("__pycache__"))
    receiving = old_way / "receiving.py"
    text = receiving.read_text()
    literal = '@step("I {eventually:Eventually}receive {text:Text} from {socket:Socket}{within:Within}")'
    assert literal in text
    receiving.write_text(text.replace(literal, 'RECEIVE = "I {eventually:Eventually}receive"\n\n\n'
                                               '@step(RECEIVE + " {text:Text} from {socket:Socket}{within:Within}")'))
    result = index(service, tmp_path, "--glue", "steps/*.py", "--features", f"{REPO.as_posix()}/features/*.feature",
                   "--parameter-types", json.dumps(parameter_types()))
    expressions = sorted(step["expression"] for step in result["stepDefinitions"])
    assert expressions != sorted(phrase.pattern for phrase in REGISTERED)  # what the first test checks
    assert "I {eventually:Eventually}receive {text:Text} from {socket:Socket}{within:Within}" not in expressions
    assert " {text:Text} from {socket:Socket}{within:Within}" in expressions  # it reads the literal part alone
    assert any(re.fullmatch(r'I receive "PONG" from .*', step["text"]) for step in result["undefinedSteps"])
