"""A process of an app that zmqprose started: its folder, its log, and how it ended; and when a process of the
scenario's (an app, a command) was seen to end, and which sockets of the spec's it may have talked to."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from zmqprose.apps.output import Output
from zmqprose.apps.run_folder import removed
from zmqprose.safety.processes import exit_description
from zmqprose.sockets.references import tcp_port_of

EXACT_ENOUGH = 0.1  # seconds: an end seen within this of the last look that found the process running is "at"


@dataclass
class Looks:
    """When zmqprose last saw a process running and first saw it ended: it ended between the two (a process's
    end is known only by looking; the looks come every 50 to 250 ms during a wait)."""

    alive: float = field(default_factory=time.monotonic)  # its start, or the last look that found it running
    ended: float | None = None  # the first look that found it ended

    def look(self, process: Any) -> int | None:
        """The process's exit code, or None while it runs; the look is kept."""
        code: int | None = process.poll()
        if code is None:
            self.alive = time.monotonic()
        elif self.ended is None:
            self.ended = time.monotonic()
        return code

    def ended_now(self) -> None:
        """A wait for its end has just returned: it ended now."""
        self.alive = self.ended = time.monotonic()

    def when_ended(self, began: float) -> str:
        """When it ended, from ``began`` (the scenario's start): ``at +1.2 s``, or ``between +0.3 s and +1.2 s``
        when the looks were further apart."""
        ended = self.ended if self.ended is not None else time.monotonic()
        if ended - self.alive <= EXACT_ENOUGH:
            return f"at +{ended - began:.1f} s"
        return f"between +{max(self.alive - began, 0):.1f} s and +{ended - began:.1f} s"


def handed(names: frozenset[str], addresses: Iterable[str]) -> bool:
    """Whether a process was handed one of ``addresses`` (a socket's): ``names`` are the ports and addresses its
    start, its env and its files named (:func:`zmqprose.actionlog.named_endpoints`); a process that was handed
    none may have any address written in it, so it may have been."""
    if not names:
        return True
    for address in addresses:
        port = tcp_port_of(address)
        if address in names or (port is not None and str(port) in names):
            return True
    return False


def ended_note(who: str, looks: Looks, began: float) -> str:
    """What a wait that timed out says of a process of the scenario that ended with code 0 meanwhile."""
    return f"{who} ended with code 0 {looks.when_ended(began)}: it will not send more"


@dataclass
class RunningApp:
    """An app zmqprose started: its process, its folder and its log (from where this process began in it)."""

    name: str
    process: Any  # subprocess.Popen[bytes]
    folder: Path
    log_path: Path
    log_file: IO[bytes]
    log_start: int = 0  # the size of the log when this process started: what it printed comes after
    next_check: float = 0.0  # when check_alive looks at the process again (monotonic)
    marker: str = ""  # what every process of this start carries (ZMQPROSE_APP_MARKER): its daemons too
    names: frozenset[str] = frozenset()  # the ports and addresses its start, env and files were handed
    looks: Looks = field(default_factory=Looks)  # when it was last seen running, and first seen ended

    def output(self) -> Output:
        """What this process has printed (stdout and stderr), read in pieces as it is needed."""
        return Output(self.log_path, self.log_start)

    def tail(self, lines: int = 15) -> str:
        """The last lines of this process's output, indented for a failure message, secrets masked."""
        return self.output().tail(lines)

    def could_not_bind(self) -> bool:
        """True if the app's output says an address was in use."""
        return "in use" in self.tail().lower()

    def death_notice(self) -> str:
        """Why the app is gone: how it ended and the last lines of its output (or, if its log was removed
        meanwhile, that they cannot be shown, and why)."""
        ended = f"{self.name} (pid {self.process.pid}) {exit_description(self.process.returncode)}"
        if not os.path.lexists(self.log_path):  # a link left in its place is there: its tail says it is not read
            return f"{ended}; its last lines cannot be shown: {removed('its log', self.log_path)}"
        return (
            f"{ended}{' (it could not bind: one of its ports is taken)' if self.could_not_bind() else ''}; "
            f"last lines of {self.log_path}:\n{self.tail()}"
        )
