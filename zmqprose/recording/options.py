"""The options of ``zmqprose record`` (apart from the command, so that the command line loads it only when
asked to record)."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``zmqprose record``."""
    parser.add_argument("--listen", required=True, help="where clients connect to be recorded: tcp://127.0.0.1:PORT "
                                                        "(PORT * or 0: a free one, printed)")
    parser.add_argument("--to", required=True, help="the service's tcp endpoint, where every connection is relayed")
    parser.add_argument("--out", help="the feature to write (and FILE.svg beside it); with --again, that file")
    parser.add_argument("--for", dest="seconds", type=float, help="stop after this many seconds (else at Ctrl-C "
                                                                  "or SIGTERM)")
    parser.add_argument("--settings", default="environments", help="the settings folder (default: environments)")
    parser.add_argument("--env", default="local", help="the environment in it (default: local)")
    parser.add_argument("--app", help="how the spec names the service: an app reference (\"kernel's shell port\"), "
                                      "or an app whose port --to is")
    parser.add_argument("--again", metavar="FILE.feature", help="a feature this command wrote for the same "
                                                                "conversation: what differs becomes markers")
    parser.add_argument("--heartbeat", action="append", default=[], metavar="NAME",
                        help="a message whose name is NAME is a heartbeat (besides _zpc_hb and heartbeat)")
