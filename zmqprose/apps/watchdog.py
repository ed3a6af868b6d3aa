"""The watchdog: ends the process groups of a zmqprose process that died without stopping them.

Run as ``python -m zmqprose.apps.watchdog``, by :mod:`zmqprose.apps.processes`,
in a session of its own (a Ctrl-C for the run does not reach it). It reads
lines from the pipe its starter holds: ``+GROUP`` (watch a group), ``-GROUP``
(it was stopped in order). When the pipe closes, because the starter ended
(in order, or killed outright), it ends every group still watched: SIGTERM,
then SIGKILL after a second. ``--also-watch PID`` does the same when that
process is gone (a behavex worker's parent), and then ends ``--owner`` too,
a worker whose run is over.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import select
import signal
import sys
import time

from zmqprose.apps.processes import GROUP_POLL, group_alive, signal_group

CHECK_EVERY = 0.25  # seconds between looks at --also-watch
GRACE = 1.0


def end_groups(groups: set[int]) -> None:
    """SIGTERM every group, then SIGKILL what is left of them after :data:`GRACE`."""
    for group in groups:
        signal_group(group, signal.SIGTERM)
    deadline = time.monotonic() + GRACE
    while any(group_alive(group) for group in groups) and time.monotonic() < deadline:
        time.sleep(GROUP_POLL)
    for group in groups:
        signal_group(group, signal.SIGKILL)


def gone(pid: int) -> bool:
    """True once no process has ``pid``."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def main(argv: list[str] | None = None) -> None:
    """Watch until the pipe closes (or the other process is gone), then end what is left."""
    parser = argparse.ArgumentParser(prog="zmqprose-watchdog")
    parser.add_argument("--also-watch", type=int, help="end everything when this process is gone, too")
    parser.add_argument("--owner", type=int, help="the process to end with the groups, when --also-watch is gone")
    arguments = parser.parse_args(argv)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    groups: set[int] = set()
    pipe = sys.stdin.fileno()
    pending = b""
    while True:
        readable, _, _ = select.select([pipe], [], [], CHECK_EVERY)
        if readable:
            chunk = os.read(pipe, 4096)
            if not chunk:
                end_groups(groups)
                return
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                if line[:1] == b"+":
                    groups.add(int(line[1:]))
                elif line[:1] == b"-":
                    groups.discard(int(line[1:]))
        if arguments.also_watch and gone(arguments.also_watch) and not select.select([pipe], [], [], 0)[0]:
            # (what the pipe still held is read first: a group told just before the end is ended too)
            end_groups(groups)
            if arguments.owner:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(arguments.owner, signal.SIGKILL)
            return

if __name__ == "__main__":
    main()
