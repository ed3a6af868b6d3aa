"""A process of an app that zmqprose started: its folder, its log, and how it ended."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from zmqprose.apps.output import Output
from zmqprose.apps.processes import exit_description
from zmqprose.apps.run_folder import removed


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
