"""MkDocs hooks (mkdocs.yml ``hooks:``): the parts of the site made from the code at build time, so that they
cannot drift from it.

A page holds a marker, alone on its line, where a made part goes:

- ``<!-- zmqprose:steps -->``: every phrase, as ``zmqprose steps --markdown`` prints it, each step module's
  table under a heading of its own (so that the page's table of contents lists the topics);
- ``<!-- zmqprose:command-line -->``: ``zmqprose --help`` and each command's ``--help``, as a terminal shows them.

tests/unit/test_phrases.py and tests/unit/test_docs.py read every page through :func:`page_text`: the
markers made and the snippets (``--8<-- "FILE"``, pymdownx.snippets, which the build itself expands) put in,
so that the phrases and the Python they check are the ones the site shows.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

STEPS = "<!-- zmqprose:steps -->"
COMMAND_LINE = "<!-- zmqprose:command-line -->"
COMMANDS = ("init", "steps", "diagram", "record")
HELP_WIDTH = "100"  # argparse wraps its help to $COLUMNS: the same on every machine
TOPIC_LINE = re.compile(r"^\*\*(?P<title>[^*]+)\*\* \((?P<file>`[^`]+`)\)$", re.M)
ROOT = Path(__file__).resolve().parents[1]
SNIPPET_BASES = (ROOT, ROOT / "docs")  # mkdocs.yml: pymdownx.snippets' base_path
SNIPPET = re.compile(r'^--8<-- "(?P<file>[^":]+)(?::(?P<section>\w+))?"$', re.M)
SECTION_LINE = re.compile(r"^.*--8<-- \[(?:start|end):\w+\].*\n", re.M)


def every_phrase() -> str:
    """The catalog of every phrase (zmqprose steps --markdown), a heading per step module."""
    from zmqprose.steps import catalog

    return TOPIC_LINE.sub(r"### \g<title>\n\nIn \g<file>.", catalog.as_markdown())


def help_of(*arguments: str) -> str:
    """What ``zmqprose ARGUMENTS --help`` prints."""
    from zmqprose.__main__ import main

    shown = io.StringIO()
    previous = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = HELP_WIDTH
    try:
        with contextlib.redirect_stdout(shown), contextlib.suppress(SystemExit):
            main([*arguments, "--help"])
    finally:
        if previous is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = previous
    return shown.getvalue()


def command_line() -> str:
    """``zmqprose --help`` and each command's, a heading each."""
    parts = ["### zmqprose", "", "```text", "$ zmqprose --help", help_of().rstrip(), "```"]
    for command in COMMANDS:
        parts += ["", f"### zmqprose {command}", "", "```text", f"$ zmqprose {command} --help",
                  help_of(command).rstrip(), "```"]
    return "\n".join(parts) + "\n"


MADE: dict[str, Callable[[], str]] = {STEPS: every_phrase, COMMAND_LINE: command_line}


def expand(markdown: str) -> str:
    """A page's Markdown with every marker that stands alone on its line replaced by the part made from the code
    (a marker quoted in a sentence, as the contributors' page quotes them, stays as it is)."""
    for marker, make in MADE.items():
        alone = re.compile(f"^{re.escape(marker)}$", re.M)
        if alone.search(markdown):
            markdown = make().join(alone.split(markdown))
    return markdown


def on_page_markdown(markdown: str, **_: Any) -> str:
    """MkDocs' hook: each page's Markdown before it is rendered."""
    return expand(markdown)


def snippet(found: re.Match[str]) -> str:
    """The text a ``--8<-- "FILE[:SECTION]"`` line stands for, as pymdownx.snippets includes it."""
    path = next(base / found["file"] for base in SNIPPET_BASES if (base / found["file"]).is_file())
    text = path.read_text()
    if found["section"]:
        text = text.split(f"[start:{found['section']}]", 1)[1].split("\n", 1)[1]
        text = text.split(f"[end:{found['section']}]", 1)[0].rsplit("\n", 1)[0] + "\n"
    return SECTION_LINE.sub("", text).rstrip("\n")


def page_text(path: Path) -> str:
    """A page as the site shows it, before Markdown: markers made, snippets put in."""
    return SNIPPET.sub(snippet, expand(path.read_text()))


def pages() -> list[Path]:
    """Every page of the site, and the README (the front page people read first)."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
