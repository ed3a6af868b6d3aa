"""The watchdog: ends the process groups of a zmqprose process that died without stopping them.

Run as ``python -m zmqprose.safety.watchdog``, by :mod:`zmqprose.safety.processes`,
in a session of its own (a Ctrl-C for the run does not reach it). It reads
lines from the pipe its starter holds: ``+GROUP BIRTH`` (watch a group whose
leader was born then), ``-GROUP`` (it was stopped in order), ``*MARKER`` (a
run began: its processes carry the marker), ``/MARKER`` (that run ended in
order). When the pipe closes, because the starter ended (in order, or killed
outright), it ends every group still watched, every process that descends
from one outside it (a session of its own and an empty environment, as
circusd starts its watchers: found by parentage before the first signal,
each with its birth) and every process that carries a marker still watched
(a daemon that left its group): SIGTERM, then SIGKILL after a second. An
orphan whose parent had exited before that look, and that dropped the
markers, is out of its sight (the starter's subreaper children go to init
when the starter dies). It signals no group it has seen empty, nor one whose id
another process has taken since: each is looked at before every signal,
and every second a group found empty is forgotten. ``--also-watch PID`` does the same when that
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
from collections.abc import Iterable

from zmqprose.safety.processes import (
    GROUP_POLL,
    end_carriers,
    family,
    group_is_ours,
    process_table,
    signal_each,
    signal_reaches,
    still_there,
)

CHECK_EVERY = 0.25  # seconds between looks at --also-watch
PRUNE_EVERY = 1.0  # seconds between looks for groups that are gone
GRACE = 1.0


def signal_ours(groups: dict[int, int | None], number: int) -> None:
    """Signal each group that is still there and ours; forget the others for good."""
    prune(groups)
    for group in groups:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(group, number)


def end_groups(groups: dict[int, int | None], markers: Iterable[str] = ()) -> None:
    """SIGTERM every group, and what descends from each outside it (found by parentage before the first
    signal), then SIGKILL what is left of them after :data:`GRACE`; then every process that carries one of
    ``markers``."""
    prune(groups)
    table = process_table()
    kin: dict[int, int] = {}
    for group, born in groups.items():
        kin.update(family(group, born, table))
    signal_ours(groups, signal.SIGTERM)
    signal_each(kin, signal.SIGTERM)
    deadline = time.monotonic() + GRACE
    while (groups or any(still_there(pid, born) for pid, born in kin.items())) and time.monotonic() < deadline:
        time.sleep(GROUP_POLL)
        prune(groups)
    signal_ours(groups, signal.SIGKILL)
    signal_each(kin, signal.SIGKILL)
    for marker in markers:
        end_carriers(marker, GRACE)


def prune(groups: dict[int, int | None]) -> None:
    """Forget every group that is empty, or whose id another process has taken."""
    for group, born in list(groups.items()):
        if not group_is_ours(group, born):
            del groups[group]


def read_line(line: bytes, groups: dict[int, int | None], markers: set[str]) -> None:
    """One line from the starter."""
    kind, rest = line[:1], line[1:].decode()
    if kind == b"+":
        group, _, born = rest.partition(" ")
        groups[int(group)] = int(born) if born and int(born) >= 0 else None
    elif kind == b"-":
        groups.pop(int(rest), None)
    elif kind == b"*":
        markers.add(rest)
    elif kind == b"/":
        markers.discard(rest)


def gone(pid: int) -> bool:
    """True once no process has ``pid``."""
    return not signal_reaches(pid, os.kill)


def main(argv: list[str] | None = None) -> None:
    """Watch until the pipe closes (or the other process is gone), then end what is left."""
    parser = argparse.ArgumentParser(prog="zmqprose-watchdog")
    parser.add_argument("--also-watch", type=int, help="end everything when this process is gone, too")
    parser.add_argument("--owner", type=int, help="the process to end with the groups, when --also-watch is gone")
    arguments = parser.parse_args(argv)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    groups: dict[int, int | None] = {}
    markers: set[str] = set()
    pipe = sys.stdin.fileno()
    pending = b""
    next_prune = time.monotonic() + PRUNE_EVERY
    while True:
        readable, _, _ = select.select([pipe], [], [], CHECK_EVERY)
        if readable:
            chunk = os.read(pipe, 4096)
            if not chunk:
                end_groups(groups, markers)
                return
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                read_line(line, groups, markers)
        if time.monotonic() >= next_prune:
            prune(groups)
            next_prune = time.monotonic() + PRUNE_EVERY
        if arguments.also_watch and gone(arguments.also_watch) and not select.select([pipe], [], [], 0)[0]:
            # (what the pipe still held is read first: a group told just before the end is ended too)
            end_groups(groups, markers)
            if arguments.owner:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(arguments.owner, signal.SIGKILL)
            return


if __name__ == "__main__":
    main()
