"""The processes zmqprose starts, apps and commands alike: never one left behind.

Each runs in a session of its own, so it and everything it starts (a
wrapper script's children, a forking device) form one process group, and
stopping it stops the whole group: SIGTERM, then SIGKILL after a grace
period. A watchdog (:mod:`zmqprose.apps.watchdog`) holds a pipe to this
process; when this process is gone, even by SIGKILL, the pipe closes and
the watchdog ends every group that is still there, whatever those
processes do with SIGTERM.

``ZMQPROSE_WATCHDOG=off`` in the environment starts no watchdog, so that a
test can prove the orderly stop on its own.
"""

from __future__ import annotations

import atexit
import contextlib
import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any

DEFAULT_STOP_TIMEOUT = 3.0
GROUP_POLL = 0.02
PROC = Path("/proc")
WATCHDOG_SWITCH = "ZMQPROSE_WATCHDOG"
PYTHON_VARIABLE = "ZMQPROSE_PYTHON"  # the interpreter that runs zmqprose, for apps' wrapper scripts


class Watchdog:
    """The process that ends every group zmqprose started, should this process die without stopping them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._owner = 0  # the pid that started it: a forked child must not write to its parent's watchdog

    def watch(self, group: int) -> None:
        """End ``group`` if this process dies."""
        self._tell(f"+{group}\n")

    def forget(self, group: int) -> None:
        """``group`` was stopped in order: nothing to end any more."""
        self._tell(f"-{group}\n")

    def close(self) -> None:
        """This process ends in order: the watchdog ends too (after ending any group still there)."""
        with self._lock:
            process, self._process = self._process, None
        if process is not None and process.stdin is not None and self._owner == os.getpid():
            with contextlib.suppress(OSError):
                process.stdin.close()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(5)

    def _tell(self, line: str) -> None:
        if os.environ.get(WATCHDOG_SWITCH) == "off":
            return
        with self._lock:
            if self._process is None or self._owner != os.getpid() or self._process.poll() is not None:
                self._process = self._start()
                self._owner = os.getpid()
            pipe = self._process.stdin  # made with stdin=PIPE
            if pipe is None:
                return
            try:
                pipe.write(line.encode())
                pipe.flush()
            except OSError:
                self._process = None

    @staticmethod
    def _start() -> subprocess.Popen[bytes]:
        arguments = [sys.executable, "-m", "zmqprose.apps.watchdog"]
        parent = multiprocessing.parent_process()  # a behavex worker's parent: its death ends the run too
        if parent is not None and parent.pid is not None:
            arguments += ["--also-watch", str(parent.pid), "--owner", str(os.getpid())]
        return subprocess.Popen(arguments, stdin=subprocess.PIPE, start_new_session=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


WATCHDOG = Watchdog()
atexit.register(WATCHDOG.close)


@contextlib.contextmanager
def interrupts_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM until the block ends, then let them happen as they would have.

    A process started in the block is noted (and so stopped later) before an
    interrupt can leave it running with nobody to stop it. Python's signal
    handlers run only in the main thread; elsewhere nothing needs holding.
    A handler that Python did not set (None) is left alone.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []

    def hold(number: int, frame: object) -> None:
        held.append(number)

    previous = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    previous = {number: handler for number, handler in previous.items() if handler is not None}
    for number in previous:
        signal.signal(number, hold)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        for caught in held:
            signal.raise_signal(caught)


def spawn(args: Sequence[str], cwd: str | Path, env: Mapping[str, str], stdout: IO[Any] | int,
          stderr: IO[Any] | int) -> subprocess.Popen[bytes]:
    """Start a process in a session (and process group) of its own, watched by the watchdog.

    ``python`` as the first argument is the interpreter that runs zmqprose.
    """
    args = list(args)
    if args and args[0] in ("python", "python3"):
        args[0] = sys.executable
    process = subprocess.Popen(
        args, cwd=cwd, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr,
        env={**os.environ, "PYTHONUNBUFFERED": "1", PYTHON_VARIABLE: sys.executable, **env},
        start_new_session=True,
    )
    WATCHDOG.watch(process.pid)
    return process


def stop_group(process: subprocess.Popen[bytes], grace: float = DEFAULT_STOP_TIMEOUT) -> None:
    """Stop a process and its whole group: SIGTERM, then SIGKILL for whatever is left after ``grace``; reap it."""
    group = process.pid
    signal_group(group, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while group_alive(group, process) and time.monotonic() < deadline:
        time.sleep(GROUP_POLL)  # another process group: nothing to wait on but its absence
    kill_group(process)


def kill_group(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL a process and its whole group, and reap it."""
    signal_group(process.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(5)
    WATCHDOG.forget(process.pid)


def signal_group(group: int, number: int) -> None:
    """Send a signal to every process of a group; a group that is gone already is fine."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(group, number)


def group_alive(group: int, leader: subprocess.Popen[bytes] | None = None) -> bool:
    """True while any live process of the group is there (a leader that exited is reaped first).

    Zombies do not count: an orphan that has exited waits for its new
    parent to reap it, and some init processes (in containers) never do.
    """
    if leader is not None:
        leader.poll()
    if PROC.is_dir():
        return any(True for _ in live_members(group))
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def live_members(group: int) -> list[int]:
    """The pids of a process group's members that have not exited (Linux: from /proc)."""
    members = []
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()  # after "pid (command) ": state, ppid, pgrp, …
        if int(fields[2]) == group and fields[0] not in ("Z", "X"):
            members.append(int(entry.name))
    return members


def exit_description(code: int | None) -> str:
    """How a process ended, in words: ``exited with code 3``, ``was killed by SIGKILL``."""
    if code is None:
        return "is still running"
    if code < 0:
        try:
            return f"was killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"was killed by signal {-code}"
    return f"exited with code {code}"
