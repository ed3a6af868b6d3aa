"""CI's last check: no process that a test started is still alive, and no zmqprose-* folder was left.

Every process started during the CI run inherits ZMQPROSE_CI_RUN from it; any live one that carries
it now (other than this check and the shells that run it) was left behind by a test.
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


def left_behind(marker: str) -> list[str]:
    """The live processes that carry ``ZMQPROSE_CI_RUN=marker``, described."""
    needle, mine, found = f"ZMQPROSE_CI_RUN={marker}".encode(), ancestors(), []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) in mine:
            continue
        try:
            stat = (entry / "stat").read_text()
            carries = needle in (entry / "environ").read_bytes().split(b"\0")
            arguments = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if carries and stat[stat.rindex(")") + 2] not in "ZX":
            found.append(f"  pid {entry.name}: {arguments.strip()[:200]}")
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
