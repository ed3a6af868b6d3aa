"""The phrases as people read them, once each: ``zmqprose steps`` and behave's ``--steps-catalog``.

Each phrase is shown as the step reference writes it (``I connect a TYPE socket to
ENDPOINT [as "NAME"]``: optional parts in brackets, arguments by their
readable names), under which keywords it works, its purpose (the first line
of its step function's docstring), an example (the docstring's ``Example:``
line) and where it is defined. ``zmqprose steps --markdown`` writes the
step reference's list of every phrase from this (docs/hooks.py puts it in the site when the site is built),
so that the two cannot drift.
"""

from __future__ import annotations

import inspect
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from behave.formatter.steps import StepsCatalogFormatter

from zmqprose.steps.near_miss import readable
from zmqprose.steps.vocabulary import KEYWORDS, REGISTERED, Phrase, ProseMatcher, StepFunction

PACKAGE_PARENT = Path(__file__).resolve().parents[2]  # the folder zmqprose is installed in
EXAMPLE = "Example: "
ANY_KEYWORD = "Given/When/Then"


@dataclass(frozen=True)
class Entry:
    """One phrase of the catalog: a step function and its pattern, under every keyword it is registered for."""

    phrase: str
    pattern: str
    keywords: str
    purpose: str
    example: str
    function: str
    file: str
    line: int
    topic: str


def keywords_of(registered: list[str]) -> str:
    """``Given/When/Then`` for a phrase of every keyword, else its keywords: ``Given/When``, ``Then``."""
    if "step" in registered:
        return ANY_KEYWORD
    return "/".join(keyword.title() for keyword in KEYWORDS if keyword in registered)


def purpose(func: StepFunction) -> str:
    """The first paragraph of a step function's docstring, on one line: what the phrase does."""
    return " ".join((inspect.getdoc(func) or "").split("\n\n", 1)[0].split())


def example(func: StepFunction) -> str:
    """The docstring's ``Example:`` line, a step as a spec writes it (keyword included); "" if it has none."""
    for line in (inspect.getdoc(func) or "").splitlines():
        if line.strip().startswith(EXAMPLE):
            return line.strip().removeprefix(EXAMPLE)
    return ""


def where(func: StepFunction) -> tuple[str, int]:
    """The file (relative to the folder zmqprose is installed in, ``zmqprose/steps/sending.py``) and the line
    where a step function's phrase is declared (its first decorator)."""
    code = func.__code__
    path = Path(code.co_filename).resolve()
    shown = path.relative_to(PACKAGE_PARENT).as_posix() if path.is_relative_to(PACKAGE_PARENT) else str(path)
    return shown, code.co_firstlineno


def entries(registered: list[Phrase] | None = None) -> list[Entry]:
    """Every phrase once, in the order the step modules declare them (a condition's Then check apart)."""
    grouped: dict[tuple[StepFunction, str], list[str]] = {}
    for found in REGISTERED if registered is None else registered:
        grouped.setdefault((found.func, found.pattern), []).append(found.keyword)
    made = []
    for (func, pattern), keywords in grouped.items():
        file, line = where(func)
        made.append(Entry(readable(pattern), pattern, keywords_of(keywords), purpose(func), example(func),
                          f"{func.__module__}.{func.__name__}", file, line, func.__module__.rsplit(".", 1)[-1]))
    return made


def topics(found: list[Entry]) -> dict[str, list[Entry]]:
    """The entries by step module, in the order the modules were first met."""
    grouped: dict[str, list[Entry]] = {}
    for entry in found:
        grouped.setdefault(entry.topic, []).append(entry)
    return grouped


def as_text(found: list[Entry] | None = None) -> str:
    """The catalog for a terminal: every phrase, its keywords, purpose, example and place."""
    lines = []
    for topic, listed in topics(entries() if found is None else found).items():
        lines += [f"{title(topic)} ({listed[0].file})", ""]
        for entry in listed:
            lines += [f"  {entry.phrase}    [{entry.keywords}]", f"      {entry.purpose}",
                      f"      e.g. {entry.example}", f"      {entry.file}:{entry.line} {entry.function}", ""]
    return "\n".join(lines)


def as_markdown(found: list[Entry] | None = None) -> str:
    """The step reference's list of every phrase: a table per step module."""
    lines = [
        "Made by `zmqprose steps --markdown` from the step modules: every phrase",
        "as it is written, under which keywords it works, what it does, and an example. A phrase under",
        f"{ANY_KEYWORD} works with every keyword; a condition (`APP is running`, the link's `is cut`,",
        "`is restored`, `is healthy`) makes it so under Given and When, and only checks it under Then.",
    ]
    for topic, listed in topics(entries() if found is None else found).items():
        lines += ["", f"**{title(topic)}** (`{listed[0].file}`)", "", "| phrase | keywords | what it does | example |",
                  "| --- | --- | --- | --- |"]
        lines += [f"| {code(entry.phrase)} | {entry.keywords} | {cell(entry.purpose)} | {code(entry.example)} |"
                  for entry in listed]
    return "\n".join(lines) + "\n"


def as_json(found: list[Entry] | None = None) -> str:
    """The catalog for other tools: a JSON array of the entries' fields."""
    return json.dumps([asdict(entry) for entry in (entries() if found is None else found)], indent=2,
                      ensure_ascii=False) + "\n"


def title(topic: str) -> str:
    """A step module's name as a heading: ``sockets`` → ``Sockets``."""
    return topic.replace("_", " ").capitalize()


def cell(text: str) -> str:
    """Text for a cell of a Markdown table."""
    return text.replace("|", "\\|")


def code(text: str) -> str:
    """Text as code in a cell of a Markdown table (a backtick in it gets a longer fence)."""
    fence = "``" if "`" in text else "`"
    return f"{fence}{cell(text)}{fence}"


class StepsCatalog(StepsCatalogFormatter):  # type: ignore[misc]  # behave has no type hints
    """behave's ``--steps-catalog``, with each phrase once: zmqprose's as the step reference writes them, under the
    keywords they work with; a project's own as behave writes them.

    behave lists a phrase of every keyword three times (Given, When, Then)
    and in its parse syntax; ``import zmqprose.steps`` puts this formatter in
    its place (:func:`zmqprose.compat.use_behave_formatter`).
    """

    def report_step_definition_docs(self) -> None:
        grouped: dict[tuple[Any, str], list[Any]] = {}
        for step_type in self.step_types:
            for definition in self.step_registry.steps[step_type]:
                grouped.setdefault((definition.func, definition.pattern), []).append(definition)
        for definitions in sorted(grouped.values(), key=lambda found: (found[0].location.filename,
                                                                        found[0].location.line)):
            self.write_phrase(definitions)

    def write_phrase(self, definitions: list[Any]) -> None:
        first = definitions[0]
        keywords = keywords_of([definition.step_type for definition in definitions])
        ours = isinstance(first, ProseMatcher)
        self.stream.write(f"{keywords} {readable(first.pattern) if ours else first.pattern}\n")
        lines = [purpose(first.func), *([f"e.g. {example(first.func)}"] if example(first.func) else [])] if ours else \
            (inspect.getdoc(first.func) or "").strip().splitlines()
        for line in lines:
            self.stream.write(f"{self.doc_prefix}{line}\n" if line else "\n")
        self.stream.write("\n")
