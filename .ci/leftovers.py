"""CI's last check: no process that a test started is still alive, and no zmqprose-* folder was left.

Every process started during the CI run inherits ZMQPROSE_CI_RUN from it; any live one that carries
it now (other than this check and the shells that run it) was left behind by a test. So was any live
process below one of those, or below the CI run's own shell (the marker begins with its pid), found by
parent links: one started with an empty environment (circusd's watchers, ``copy_env = false``) carries no
marker. An orphan of such a process, whose parents all ended, went to init (or the nearest subreaper)
and is out of this check's sight.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path


def ancestors() -> set[int]:
    """This process and the ones above it."""
    found, pid = set(), os.getpid()
    while pid > 1:
        found.add(pid)
        stat = Path(f"/proc/{pid}/stat").read_text()
        pid = int(stat[stat.rindex(")") + 2:].split()[1])
    return found


def table() -> dict[int, tuple[int, bool]]:
    """Every process now: its parent, and whether it is live (not a zombie)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        found[int(entry.name)] = (int(fields[1]), fields[0] not in ("Z", "X"))
    return found


def carrying(needle: bytes, pids: list[int]) -> set[int]:
    """Those of ``pids`` whose environment holds ``needle``."""
    found = set()
    for pid in pids:
        try:
            if needle in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0"):
                found.add(pid)
        except OSError:
            continue
    return found


def below(roots: set[int], processes: dict[int, tuple[int, bool]]) -> set[int]:
    """``roots`` and every process that descends from one of them, through parent links."""
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in processes.items():
        children.setdefault(parent, []).append(pid)
    found, queue = set(), list(roots)
    while queue:
        pid = queue.pop()
        if pid not in found:
            found.add(pid)
            queue.extend(children.get(pid, ()))
    return found


def left_behind(marker: str) -> list[str]:
    """The live processes that carry ``ZMQPROSE_CI_RUN=marker``, or descend from one that does or from the CI
    run's shell, described."""
    needle, mine = f"ZMQPROSE_CI_RUN={marker}".encode(), ancestors()
    processes = table()
    shell = marker.partition("-")[0]
    roots = carrying(needle, [pid for pid in processes if pid not in mine])
    if shell.isdigit() and int(shell) in mine:
        roots.add(int(shell))
    found = []
    for pid in sorted(below(roots, processes) - mine):
        if pid not in processes or not processes[pid][1]:
            continue
        try:
            arguments = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        found.append(f"  pid {pid}: {arguments.strip()[:200]}")
    return found


def main() -> int:
    marker, stamp, temporary = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    processes = left_behind(marker) if Path("/proc").is_dir() else []
    deadline = time.monotonic() + 5  # a process told to stop a moment ago may still be on its way out
    while processes and time.monotonic() < deadline:
        time.sleep(0.1)
        processes = left_behind(marker)
    folders = [f"  {path}" for path in temporary.glob("zmqprose-*") if path.stat().st_mtime >= stamp.stat().st_mtime]
    if processes:
        print("processes the tests left running:\n" + "\n".join(processes), file=sys.stderr)
    if folders:
        print("zmqprose-* folders the tests left:\n" + "\n".join(folders), file=sys.stderr)
    if not (processes or folders):
        print("no process and no zmqprose-* folder left behind")
    return 1 if processes or folders else 0


if __name__ == "__main__":
    sys.exit(main())
