"""The processes zmqprose starts, apps and commands alike: never one left behind.

Each runs in a session of its own, so it and everything it starts (a
wrapper script's children, a forking device) form one process group, and
stopping it stops the whole group: SIGTERM, then SIGKILL after a grace
period. A watchdog (:mod:`zmqprose.safety.watchdog`) holds a pipe to this
process; when this process is gone, even by SIGKILL, the pipe closes and
the watchdog ends every group that is still there, whatever those
processes do with SIGTERM.

``ZMQPROSE_WATCHDOG=off`` in the environment starts no watchdog, so that a
test can prove the orderly stop on its own.

What left the group is found two ways. A process that kept its environment
carries the run's, the scenario's and the app's markers (:func:`carriers`).
One that did not, a watcher that circusd starts in a session of its own
with an empty environment (``copy_env = false``), is found by parentage:
before the first signal, :func:`stop_group` and :func:`kill_group` read the
whole process table once and take every live process below the group's
(children, theirs, …, whatever their session or group) and every member of
its session, each with its birth (:func:`family`); while the group ends
the snapshot is read again, so that a child started meanwhile (a
supervisor's respawn) is ended too; and a pid is signalled only while its
birth is the one seen, never another process's that took the pid since.

This process is a child subreaper (:func:`become_subreaper`, Linux), and
stays one, for two reasons: an orphan of what it started comes back to it
rather than to init, so that its marker is found among this process's
descendants (``below``), and its exit is reaped here rather than lost.
Reaping is then this process's: it reaps only pids it is ending, by pid
(``waitpid(pid, WNOHANG)``, never ``waitpid(-1)``) and only while their
birth is the one seen, so that no exit status is taken from a child that
:mod:`subprocess` waits on (``Popen.wait`` would then read 0): every process
of a group (its leader aside, whose ``Popen`` waits on it) and of its kin
ever seen while it ends, and its members that exited as this process's
children; each ``Popen`` of ours leads a group of its own, so none is among
them. Being a
subreaper does not say whose an orphan is: a process whose parent had
exited before zmqprose looked (a double fork that also dropped its
environment) is this process's child, but so is anything another library
in this process started; it is therefore not ended by parentage, only by a
marker (a documented limit: a scrubbed environment and a parent gone before
the stop leave nothing to know it by).
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import errno
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, NamedTuple

from zmqprose.settings.app import DEFAULT_STOP_TIMEOUT

GROUP_POLL = 0.02
PROC = Path("/proc")
WATCHDOG_SWITCH = "ZMQPROSE_WATCHDOG"
PYTHON_VARIABLE = "ZMQPROSE_PYTHON"  # the interpreter that runs zmqprose, for apps' wrapper scripts
MARKER_VARIABLE = "ZMQPROSE_RUN_MARKER"  # every process a run starts carries the run's marker
SCENARIO_MARKER_VARIABLE = "ZMQPROSE_SCENARIO_MARKER"  # and each of a scenario's own, the scenario's
APP_MARKER_VARIABLE = "ZMQPROSE_APP_MARKER"  # and each start of an app, its own: a step that stops it ends them
ENVIRON_LIMIT = 1 << 20  # what is read of another process's environment
PR_SET_CHILD_SUBREAPER = 36


class Watchdog:
    """The process that ends every group zmqprose started, should this process die without stopping them."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._owner = 0  # the pid that started it: a forked child must not write to its parent's watchdog

    def watch(self, group: int, born: int | None) -> None:
        """End ``group`` (whose leader was born at ``born``) if this process dies."""
        self._tell(f"+{group} {born if born is not None else -1}\n")

    def watch_marker(self, marker: str) -> None:
        """End every process that carries ``marker`` if this process dies."""
        self._tell(f"*{marker}\n")

    def forget_marker(self, marker: str) -> None:
        """The run of ``marker`` ended in order, and ended its processes."""
        self._tell(f"/{marker}\n")

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
        arguments = [sys.executable, "-m", "zmqprose.safety.watchdog"]
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
          stderr: IO[Any] | int, marker: str = "", scenario_marker: str = "",
          app_marker: str = "") -> subprocess.Popen[bytes]:
    """Start a process in a session (and process group) of its own, watched by the watchdog.

    ``python`` as the first argument is the interpreter that runs zmqprose.
    ``marker`` (a run's) goes into its environment as ``ZMQPROSE_RUN_MARKER``:
    what it starts carries it too, even a daemon that leaves the group;
    ``scenario_marker`` (a scenario's, for its own apps and commands) as
    ``ZMQPROSE_SCENARIO_MARKER``, likewise; ``app_marker`` (one start of an app's)
    as ``ZMQPROSE_APP_MARKER``, so that stopping the app ends its daemons too.
    A bad argument or variable (a NUL, a name with ``=``) is a :class:`ValueError`.
    """
    args = list(args)
    if args and args[0] in ("python", "python3"):
        args[0] = sys.executable
    environment = {**os.environ, "PYTHONUNBUFFERED": "1", PYTHON_VARIABLE: sys.executable, **env,
                   **({MARKER_VARIABLE: marker} if marker else {}),
                   **({SCENARIO_MARKER_VARIABLE: scenario_marker} if scenario_marker else {}),
                   **({APP_MARKER_VARIABLE: app_marker} if app_marker else {})}
    environment["PATH"] = search_path(environment.get("PATH", os.defpath))
    if args and os.sep not in args[0]:
        args[0] = find_program(args[0], environment["PATH"])
    process = subprocess.Popen(
        args, cwd=cwd, stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr, env=environment,
        start_new_session=True,
    )
    born = birth(process.pid)
    GROUPS.started(process, born)
    WATCHDOG.watch(process.pid, born)
    return process


class ProgramNotFound(FileNotFoundError):
    """A program that is in none of the folders of the ``PATH`` it was looked for in."""


def search_path(path: str) -> str:
    """``path`` with the folder of the interpreter that runs zmqprose first: the programs of its virtual
    environment (``locust``, ``circusd``) are found as ``python`` is, activated or not."""
    own = os.path.dirname(sys.executable)
    return os.pathsep.join([own, *(folder for folder in path.split(os.pathsep) if folder and folder != own)])


def find_program(name: str, path: str) -> str:
    """The file a program name stands for on ``path``; :class:`ProgramNotFound` says where it looked."""
    found = shutil.which(name, path=path)
    if found is None:
        folders = [folder for folder in path.split(os.pathsep) if folder]
        shown = ", ".join(folders[:8]) + (f", … ({len(folders)} folders)" if len(folders) > 8 else "")
        raise ProgramNotFound(errno.ENOENT, f"no program {name!r} in any folder of PATH ({shown}; the first is "
                                            f"the folder of the Python that runs zmqprose, {sys.executable})")
    return found


def stop_group(process: subprocess.Popen[bytes], grace: float = DEFAULT_STOP_TIMEOUT) -> list[int]:
    """Stop a process and its whole group: SIGTERM, then SIGKILL for whatever is left after ``grace``; reap it.
    What descends from it outside the group (a session of its own, see the module) is ended alongside, from a
    snapshot taken before the first signal and read again while the group ends. The pids of those outside.

    A group that is gone already is not signalled (its id may be another's by now): not one whose id was
    given to a group started since (``process`` ended and was reaped; the group known by its id is another
    now), and not one seen empty before; then nothing more is read.
    """
    started = GROUPS.started_as(process)
    if started is None:
        process.poll()  # a leader that ended is reaped: nothing else is left of the group
        return []
    group, born = started
    seen: dict[int, int] = {}
    kin = GROUPS.family(group, born, seen=seen)  # before any signal: an exited parent's children point elsewhere
    outside = set(kin)
    signalled = GROUPS.signal(group, born, signal.SIGTERM)
    signal_each(kin, signal.SIGTERM)
    if signalled or kin:
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            grown = GROUPS.family(group, born, also=kin, seen=seen)
            signal_each({pid: when for pid, when in grown.items() if pid not in kin}, signal.SIGTERM)
            kin = grown
            outside.update(kin)
            if not kin and not GROUPS.alive(group, born):
                break
            time.sleep(GROUP_POLL)  # other processes: nothing to wait on but their absence
    return sorted(outside | set(end_group(process, group, born, kin, seen)))


def kill_group(process: subprocess.Popen[bytes], kin: Mapping[int, int] | None = None) -> list[int]:
    """SIGKILL a process and its whole group (if any of it is left), and what descends from it outside the
    group (``kin``, read again; else a snapshot now), and reap it. The pids of those outside. A group that is
    gone already (see :func:`stop_group`) is not signalled."""
    started = GROUPS.started_as(process)
    if started is None:
        process.poll()
        return []
    return end_group(process, *started, kin or {}, {})


def end_group(process: subprocess.Popen[bytes], group: int, born: int | None, kin: Mapping[int, int],
              seen: dict[int, int]) -> list[int]:
    """SIGKILL what is left of the group started as ``group`` (leader born at ``born``) and of its kin (read
    again), wait for the leader, then reap every other process of it that was ever ``seen`` (pid: birth, the
    group's members and its kin; those of them that became this process's children), and the group's members
    that became its children since. The pids outside the group."""
    kin = GROUPS.family(group, born, also=kin, seen=seen)
    GROUPS.signal(group, born, signal.SIGKILL)
    signal_each(kin, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(5)
    wait_gone(seen, 1.0)
    reap_orphans({**seen, **orphaned_members(group)})
    GROUPS.forget(group, born)
    return sorted(kin)


def orphaned_members(group: int) -> dict[int, int]:
    """The exited members (pid: birth) of ``group`` that are this process's children (it is a subreaper),
    its leader aside: never a process that :mod:`subprocess` waits on, as each of those leads its own group."""
    return {pid: entry.born for pid, entry in process_table().items()
            if entry.group == group and pid != group and entry.parent == os.getpid() and not entry.live}


def signal_each(processes: Mapping[int, int | None], number: int) -> None:
    """Signal each process (pid: birth) that is still the one that was seen: same pid, same birth."""
    for pid, born in processes.items():
        if still_there(pid, born):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, number)


def wait_gone(processes: Mapping[int, int | None], within: float) -> None:
    """Wait up to ``within`` for the processes (pid: birth) to be gone, reaping those that became this
    process's children."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline and any(still_there(pid, born) for pid, born in processes.items()):
        reap_orphans(processes)
        time.sleep(GROUP_POLL)
    reap_orphans(processes)


class Groups:
    """The process groups this process started, each known by its id and its leader's birth.

    A group id is the leader's pid, and a pid is used again once its process
    is reaped and its group is empty. So before every signal the group is
    looked at: its leader must be the one that was started (same birth), or,
    the leader gone, members must remain (an id still in use as a group's is
    never given to a new process). A group seen empty is forgotten at once
    and never signalled again. Each group id is known with the ``Popen`` that
    leads it (:meth:`started_as`): once the id is another group's, an older
    ``Popen`` of that pid is about a group that is gone, and nothing is done to
    the group known by the id (a birth alone could not tell them apart: it is
    counted in clock ticks, and a pid can be given again within one).
    """

    def __init__(self) -> None:
        self._born: dict[int, int | None] = {}
        self._leaders: dict[int, weakref.ref[subprocess.Popen[bytes]]] = {}
        self._lock = threading.Lock()

    def started(self, process: subprocess.Popen[bytes], born: int | None) -> None:
        """``process`` leads a group of its own now, its leader born at ``born``."""
        with self._lock:
            self._born[process.pid] = born
            self._leaders[process.pid] = weakref.ref(process)

    def started_as(self, process: subprocess.Popen[bytes]) -> tuple[int, int | None] | None:
        """The group ``process`` leads (its id and the leader's birth) while it is known as ours: None once it
        was forgotten, or its id is another group's, or ``process`` was not started by :func:`spawn`."""
        with self._lock:
            leader = self._leaders.get(process.pid)
            if leader is None or leader() is not process or process.pid not in self._born:
                return None
            return process.pid, self._born[process.pid]

    def _knows(self, group: int, born: int | None) -> bool:
        return group in self._born and self._born[group] == born

    def forget(self, group: int, born: int | None) -> None:
        """The group started as ``group`` with a leader born at ``born`` is done: not another known by that id."""
        with self._lock:
            known = self._knows(group, born)
            if known:
                del self._born[group]
                self._leaders.pop(group, None)
        if known:
            WATCHDOG.forget(group)

    def alive(self, group: int, born: int | None) -> bool:
        """Whether the group started as ``group`` (leader born at ``born``) is known and still has a live member
        of ours; a group seen empty is forgotten."""
        with self._lock:
            if not self._knows(group, born):
                return False
        if group_is_ours(group, born):
            return True
        self.forget(group, born)
        return False

    def family(self, group: int, born: int | None, also: Mapping[int, int] | None = None,
               seen: dict[int, int] | None = None) -> dict[int, int]:
        """What descends from the group started as ``group`` (leader born at ``born``), if it is still known as
        ours (:func:`family`), and from the live processes of ``also`` (pid: birth), an earlier snapshot of it.
        ``seen`` gathers (pid: birth) what was found, and the group's live members but its leader, for reaping."""
        with self._lock:
            known = self._knows(group, born)
        table = process_table()
        found = family(group if known else None, born, table=table, also=also or {})
        if seen is not None:
            seen.update(found)
            if known and (group not in table or table[group].born == born):
                seen.update({pid: entry.born for pid, entry in table.items()
                             if entry.group == group and pid != group and entry.live})
        return found

    def signal(self, group: int, born: int | None, number: int) -> bool:
        """Signal the group started as ``group`` (leader born at ``born``) if it is still there and ours;
        whether it was signalled."""
        if not self.alive(group, born):
            return False
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(group, number)
        return True


GROUPS = Groups()


def birth(pid: int) -> int | None:
    """When a process started (clock ticks since boot, from /proc): with its pid, it names one process
    for good; None where there is no /proc or the process is gone."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    return int(stat[stat.rindex(")") + 2:].split()[19])


def group_is_ours(group: int, born: int | None) -> bool:
    """Whether the group started with a leader born at ``born`` still has a live member.

    Its leader, if there, must be that very process; if the leader is gone,
    any member that remains is of that group (the id cannot have been given
    again while it is in use). Without /proc, a group answering signal 0.
    """
    if not PROC.is_dir() or born is None:
        return signal_reaches(group)
    leader = birth(group)
    if leader is not None and leader != born:
        return False  # the id is another process's now
    return bool(live_members(group))


def signal_reaches(target: int, send: Callable[[int, int], None] = os.killpg) -> bool:
    """Whether a signal would reach ``target``, a group (or, with ``send=os.kill``, a process): signal 0."""
    try:
        send(target, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def live_members(group: int) -> list[int]:
    """The pids of a process group's members that have not exited (Linux: from /proc)."""
    return [pid for pid, entry in process_table().items() if entry.group == group and entry.live]


# -- what descends from a group: children that left it, by parentage -----------------------

class Entry(NamedTuple):
    """One process as /proc shows it."""

    parent: int
    group: int
    session: int
    born: int
    live: bool  # not exited (a zombie is not)


def process_table() -> dict[int, Entry]:
    """Every process there is now (Linux: one read of /proc): its parent, group, session, birth, whether live."""
    table: dict[int, Entry] = {}
    if not PROC.is_dir():
        return table
    for entry in os.scandir(PROC):
        if not entry.name.isdigit():
            continue
        try:
            with open(os.path.join(entry.path, "stat"), "rb") as stat:
                text = stat.read()
        except OSError:
            continue  # gone meanwhile
        fields = text[text.rindex(b")") + 2:].split()  # after "pid (command) ": state, ppid, pgrp, session, …
        table[int(entry.name)] = Entry(int(fields[1]), int(fields[2]), int(fields[3]), int(fields[19]),
                                       fields[0] not in (b"Z", b"X"))
    return table


def family(group: int | None, born: int | None, table: Mapping[int, Entry] | None = None,
           also: Mapping[int, int | None] | None = None) -> dict[int, int]:
    """The live processes (pid: birth) below the group ``group`` whose leader was born at ``born``: every
    member of its session, and every process that descends from the leader or from a member of its group or
    session, through parent links, whatever session or group it went to; the group's own members aside (a
    signal to the group reaches them, and its leader's ``Popen`` waits on it), and this process. And what is
    below ``also`` (an earlier snapshot, pid: birth), from those of its processes that are still the ones seen.

    Nothing below ``group`` if its pid is another process's now (another birth), or ``group`` is None; nothing
    at all without /proc. One read of /proc unless ``table`` is given.
    """
    table = process_table() if table is None else table
    roots = {pid for pid, seen in (also or {}).items() if pid in table and table[pid].born == seen}
    if group is not None and born is not None and (group not in table or table[group].born == born):
        roots.add(group)
        roots.update(pid for pid, entry in table.items() if group in (entry.group, entry.session))
    below: dict[int, list[int]] = {}
    for pid, entry in table.items():
        below.setdefault(entry.parent, []).append(pid)
    found: set[int] = set()
    queue = list(roots)
    while queue:
        pid = queue.pop()
        if pid not in found:
            found.add(pid)
            queue.extend(below.get(pid, ()))
    found.discard(os.getpid())
    return {pid: table[pid].born for pid in found
            if pid in table and table[pid].live and (group is None or table[pid].group != group)}


# -- a run's marker: daemons that left their group ----------------------------------

def new_marker() -> str:
    """A marker for one run: every process the run starts carries it in its environment."""
    return f"{os.getpid()}-{uuid.uuid4().hex}"


def carriers(marker: str, variable: str = MARKER_VARIABLE, among: Iterable[int] | None = None) -> dict[int, int | None]:
    """The live processes (pid: birth) whose environment carries ``marker`` as ``variable``, this one aside:
    of all processes, or only of the pids ``among``.

    Reads at most 1 MiB of each environment. A process that scrubbed its
    environment, or that belongs to another user, cannot be found this way.
    """
    wanted = f"{variable}={marker}".encode()
    found: dict[int, int | None] = {}
    if not PROC.is_dir() or not marker:
        return found
    pids = (int(entry.name) for entry in PROC.iterdir() if entry.name.isdigit()) if among is None else among
    for pid in pids:
        if pid == os.getpid():
            continue
        try:
            with (PROC / str(pid) / "environ").open("rb") as environ:
                variables = environ.read(ENVIRON_LIMIT).split(b"\0")
            stat = (PROC / str(pid) / "stat").read_text()
        except OSError:
            continue
        if wanted in variables and stat[stat.rindex(")") + 2] not in "ZX":
            found[pid] = birth(pid)
    return found


def descendants() -> list[int] | None:
    """Every live process below this one (its children, theirs, …), from /proc; None where that cannot be
    known: no /proc, a kernel that does not list children, or this process not a subreaper (then a daemon
    whose parent exited went to init, out of sight)."""
    if _subreaper_of != os.getpid():
        return None
    found: list[int] = []
    queue = [os.getpid()]
    while queue:
        pid = queue.pop()
        try:
            tasks = os.listdir(PROC / str(pid) / "task")
        except OSError:
            continue  # gone meanwhile
        for task in tasks:
            try:
                children = (PROC / str(pid) / "task" / task / "children").read_text().split()
            except FileNotFoundError:
                if pid == os.getpid():
                    return None  # no children lists in this kernel
                continue
            except OSError:
                continue
            found.extend(int(child) for child in children)
            queue.extend(int(child) for child in children)
    return found


def end_carriers(marker: str, grace: float = 1.0, variable: str = MARKER_VARIABLE, below: bool = False) -> list[int]:
    """End every live process that carries ``marker`` as ``variable`` (daemons of the run, or of a scenario,
    that left their groups): SIGTERM, then SIGKILL after ``grace``; each is looked at again (same birth)
    before every signal, and reaped if it became this process's child. The pids ended.

    ``below``: look only among this process's descendants when that is enough (it is a subreaper, so every
    orphan of what it started comes back to it), instead of reading every process's environment."""
    found: dict[int, int | None] = dict(carriers(marker, variable, descendants() if below else None))
    if found:  # and what they started that dropped the marker (an empty environment): by parentage
        found.update(family(None, None, also=found))
    for number in (signal.SIGTERM, signal.SIGKILL):
        for pid, born in found.items():
            if still_there(pid, born):
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, number)
        deadline = time.monotonic() + (grace if number == signal.SIGTERM else 1.0)
        while time.monotonic() < deadline and any(still_there(pid, born) for pid, born in found.items()):
            reap_orphans(found)
            time.sleep(GROUP_POLL)
        reap_orphans(found)
    return list(found)


def still_there(pid: int, born: int | None) -> bool:
    """Whether the process born at ``born`` with ``pid`` has not exited."""
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] not in "ZX" and birth(pid) == born


def reap_orphans(processes: Mapping[int, int | None]) -> None:
    """Reap those of ``processes`` (pid: birth) that became this process's children (it is a subreaper) and have
    exited: each by its pid, and only while its birth is the one seen (a zombie keeps it), so that no exit
    status is taken from a child that another part of this process waits on."""
    for pid, born in processes.items():
        if born is not None and birth(pid) == born:
            with contextlib.suppress(ChildProcessError, OSError):
                os.waitpid(pid, os.WNOHANG)


_subreaper_of = 0  # the process that became a subreaper (a forked child is not one)


def become_subreaper() -> bool:
    """Make this process a child subreaper (Linux): orphans of the processes it starts, a daemon's
    double fork included, come back to it instead of to init. Whether it could."""
    global _subreaper_of
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        made = bool(libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False
    if made:
        _subreaper_of = os.getpid()
    return made


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
