"""``python -m zmqprose init [FOLDER]`` (or ``zmqprose init``): start a project that uses zmqprose."""

from __future__ import annotations

import argparse
import sys

from zmqprose.scaffold import init


def main(argv: list[str] | None = None) -> int:
    """The command line: ``init`` writes a new project's files (never over one that exists)."""
    parser = argparse.ArgumentParser(prog="zmqprose", description="readable acceptance tests for ZeroMQ systems")
    commands = parser.add_subparsers(dest="command", required=True)
    start = commands.add_parser("init", help="write the files of a project that uses zmqprose, with a first spec")
    start.add_argument("folder", nargs="?", default=".", help="where (default: here)")
    arguments = parser.parse_args(sys.argv[1:] if argv is None else argv)
    for line in init(arguments.folder):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
