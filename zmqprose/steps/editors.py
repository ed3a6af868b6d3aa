"""What editors need to find zmqprose's phrases: VS Code's settings, made from the phrases themselves.

Editors read step definitions from source files, not from a running behave:
a decorator named ``step``/``given``/``when``/``then`` over a literal pattern
(:mod:`zmqprose.steps.vocabulary`). The Cucumber extension (its engine is the
Cucumber Language Service) reads a pattern as a Cucumber Expression, in which
``{socket:Socket}`` is a parameter type named ``socket:Socket``: one that is
not declared rejects the whole phrase. So every placeholder written in a
phrase is declared in ``cucumber.parameterTypes``, with the regular
expression of its argument type (:mod:`zmqprose.steps.arguments`) in
JavaScript's syntax, and ``cucumber.glue`` points at the step modules where
zmqprose is installed. ``zmqprose init`` writes these settings.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from zmqprose.steps.arguments import PHRASE_TYPES
from zmqprose.steps.vocabulary import REGISTERED

CUCUMBER_EXTENSION = "CucumberOpen.cucumber-official"  # the Cucumber extension (Cucumber Language Service)
BEHAVE_EXTENSION = "jimasp.behave-vsc"  # Behave VSC: runs and debugs behave from VS Code's test explorer
FEATURES = "features/**/*.feature"
OWN_STEPS = "steps/**/*.py"  # a project's own step modules, beside zmqprose's (``zmqprose init``'s layout)
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
PYTHON_ONLY = [  # regular expression syntax that JavaScript lacks or reads otherwise, or that Cucumber mishandles
    (re.compile(r"\(\?P"), "a named group"),
    (re.compile(r"\((?!\?)"), "a capturing group (write (?:…))"),
    (re.compile(r"\(\?[aiLmsux-]+[):]"), "an inline flag"),
    (re.compile(r"\(\?[>(#]"), "an atomic group, a conditional or a comment"),
    (re.compile(r"\\[AZz]"), "\\A or \\Z"),
    (re.compile(r"[*+?}][+]"), "a possessive quantifier"),
]


def placeholders() -> list[str]:
    """Every distinct placeholder written in zmqprose's phrases (``type:SocketType``, ``name:Name``), sorted."""
    return sorted({found for phrase in REGISTERED for found in PLACEHOLDER.findall(phrase.pattern)})


def js_regexp(pattern: str) -> str:
    """A Python regular expression of an argument type in JavaScript's syntax (which the Cucumber Language
    Service compiles with ``new RegExp``, no flags); an error for syntax that would not mean the same there.

    The syntax used is common to both; a quote needs no backslash. Both ``\\w`` and ``\\d`` are ASCII in
    JavaScript, as they are for all but names with letters or digits beyond ASCII in Python.
    """
    unescaped = pattern.replace("\\\\", "\0")
    for syntax, what in PYTHON_ONLY:
        if syntax.search(unescaped):
            raise ValueError(f"the pattern {pattern!r} has {what}: JavaScript would not read it as Python does")
    return re.sub(r'\\(["\'])', r"\1", unescaped).replace("\0", "\\\\")


def parameter_types() -> list[dict[str, str]]:
    """``cucumber.parameterTypes``: one for each placeholder written in the phrases, named as it is written."""
    found = []
    for placeholder in placeholders():
        kind = placeholder.partition(":")[2]
        if kind not in PHRASE_TYPES:
            raise ValueError(f"the placeholder {{{placeholder}}} has no argument type of zmqprose's")
        found.append({"name": placeholder, "regexp": js_regexp(PHRASE_TYPES[kind].pattern)})  # type: ignore[attr-defined]
    return found


def steps_folder() -> Path:
    """Where zmqprose's step modules are: its installed package (site-packages, or an editable source tree)."""
    return Path(__file__).resolve().parent


def relative_inside(project: Path, folder: Path) -> str | None:
    """``folder`` relative to ``project`` (``/``-separated) if it is inside it, else None."""
    try:
        return folder.resolve().relative_to(project.resolve()).as_posix()
    except ValueError:
        return None


def glue_glob(project: Path, steps: Path | None = None) -> str:
    """The glob of zmqprose's step modules for ``cucumber.glue``: relative to the project (VS Code looks
    only inside its workspace) with any Python version (``lib/python3*/``), or absolute when zmqprose is
    installed outside the project, where VS Code cannot reach it (a headless run can)."""
    folder = steps or steps_folder()
    inside = relative_inside(project, folder)
    if inside is None:
        return f"{folder.as_posix()}/*.py"
    return re.sub(r"(^|/)lib/python3\.\d+/", r"\1lib/python3*/", inside) + "/*.py"


def vscode_settings(project: Path, steps: Path | None = None) -> str:
    """``.vscode/settings.json`` for a project: the Cucumber extension's features, glue and parameter types,
    and Behave VSC's imported steps (its coming release reads them; the current one finds only ``steps/``)."""
    folder = steps or steps_folder()
    inside = relative_inside(project, folder)
    settings: dict[str, Any] = {
        "cucumber.features": [FEATURES],
        "cucumber.glue": [OWN_STEPS, glue_glob(project, folder)],
        "cucumber.parameterTypes": parameter_types(),
    }
    if inside is not None:
        settings["behave-vsc.importedSteps"] = {inside: ".*/steps/.*"}
    head = ["// Where VS Code's Gherkin extensions find zmqprose's phrases (written by zmqprose init; after an",
            "// upgrade of zmqprose, `zmqprose steps --vscode` prints them for this folder as they are now)."]
    if inside is None:
        head += [f"// zmqprose is installed outside this folder ({folder}): VS Code looks for step definitions",
                 "// only inside its workspace, and finds none of zmqprose's phrases there. Install zmqprose",
                 "// into a virtual environment in this folder (python -m venv .venv), then run",
                 "// `zmqprose steps --vscode` with that environment's Python and write what it prints here."]
    return "\n".join(head) + "\n" + json.dumps(settings, indent=2, ensure_ascii=False) + "\n"


def vscode_extensions() -> str:
    """``.vscode/extensions.json``: the extensions that VS Code offers to install when the folder is opened."""
    return json.dumps({"recommendations": [CUCUMBER_EXTENSION, BEHAVE_EXTENSION]}, indent=2) + "\n"


def read_jsonc(text: str) -> Any:
    """Settings as VS Code writes them: JSON with whole-line ``//`` comments (those :func:`vscode_settings` writes)."""
    return json.loads("\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//")))

