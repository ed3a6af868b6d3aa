"""``python -m zmqprose init [FOLDER]`` (or ``zmqprose init``): start a project that uses zmqprose.
``python -m zmqprose diagram STORY-FILE > out.svg``: draw a scenario of a story file (``behave -D action_log=FILE``).
``python -m zmqprose steps [--markdown | --json | --vscode]``: every phrase, as the step reference writes it.
``python -m zmqprose record --listen ENDPOINT --to ENDPOINT --out FILE.feature``: conversations, as a feature."""

from __future__ import annotations

import argparse
import sys

from zmqprose.recording.options import add_arguments
from zmqprose.scaffold import FolderRefused, init


def main(argv: list[str] | None = None) -> int:
    """The command line: ``init`` writes a new project's files (never over one that exists)."""
    parser = argparse.ArgumentParser(prog="zmqprose", description="readable acceptance tests for ZeroMQ systems")
    commands = parser.add_subparsers(dest="command", required=True)
    start = commands.add_parser("init", help="write the files of a project that uses zmqprose, with a first spec")
    start.add_argument("folder", nargs="?", default=".", help="the project's folder, made if it is not there "
                                                             "(default: here)")
    vocabulary = commands.add_parser("steps", help="every phrase: as written, its keywords, what it does, an example")
    shape = vocabulary.add_mutually_exclusive_group()
    shape.add_argument("--markdown", action="store_true", help="as Markdown tables, as the step reference shows them")
    shape.add_argument("--json", action="store_true", help="as JSON, for other tools")
    shape.add_argument("--vscode", action="store_true", help="VS Code's settings for this folder (where editors look)")
    picture = commands.add_parser("diagram", help="draw a scenario of a story file (behave -D action_log=FILE) "
                                                  "as an SVG sequence diagram, on standard output")
    picture.add_argument("story_file", help="the story file: one scenario a line")
    picture.add_argument("--scenario", help="the scenario whose name contains this text (default: the last one)")
    recorder = commands.add_parser("record", help="relay a tcp endpoint, read the ZeroMQ conversations that pass, "
                                                  "and write them as a feature the spec plays (and its picture)")
    add_arguments(recorder)
    arguments = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if arguments.command == "record":
        from zmqprose.recording.command import run

        return run(arguments)
    if arguments.command == "diagram":
        return draw_story(arguments.story_file, arguments.scenario)
    if arguments.command == "steps":
        return print_steps("markdown" if arguments.markdown else "json" if arguments.json else
                           "vscode" if arguments.vscode else "text")
    try:
        said = init(arguments.folder)
    except FolderRefused as refused:
        print(f"zmqprose init: {refused}", file=sys.stderr)
        return 2
    for line in said:
        print(line)
    return 0


def print_steps(shape: str) -> int:
    """Print the phrases (``zmqprose steps``): for a person, as Markdown, as JSON, or as VS Code's settings."""
    from pathlib import Path

    from zmqprose.steps import catalog, editors

    shown = {"text": catalog.as_text, "markdown": catalog.as_markdown, "json": catalog.as_json,
             "vscode": lambda: editors.vscode_settings(Path.cwd())}[shape]()
    sys.stdout.write(shown)
    return 0


def draw_story(path: str, scenario: str | None) -> int:
    """Print the SVG of a scenario of a story file; a clear message (exit 2) for a file or a name that is not, or
    for a line that is not a scenario's story (its shape is checked: :func:`zmqprose.pictures.reports.stories`)."""
    from zmqprose.errors import ProseError
    from zmqprose.pictures.diagram import draw
    from zmqprose.pictures.reports import stories

    try:
        chosen = [record for record in stories(path) if scenario is None or scenario in str(record.get("scenario"))]
    except ProseError as error:
        print(f"zmqprose diagram: {error}", file=sys.stderr)
        return 2
    if not chosen:
        print(f"zmqprose diagram: no scenario{f' named like {scenario!r}' if scenario else ''} in {path}",
              file=sys.stderr)
        return 2
    record = chosen[-1]
    svg = draw(record["story"], str(record.get("scenario", "")), record.get("status") == "failed")
    sys.stdout.flush()
    sys.stdout.buffer.write(svg.encode("utf-8"))  # an SVG is UTF-8, whatever the terminal's encoding
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
