"""Commands a scenario runs: one-shot clients (``circusctl``, a pump script) and background helpers.

Storyplayer's UNIX shell module, in its place here: a command line is split
as a shell would split it (quotes), but no shell runs it (a list of
arguments is taken as it is); ``python`` is the interpreter that runs
zmqprose. Like the rest of the prose API, it takes what it is given as it
is: ``${…}`` is filled in by the phrases, in each argument after the split
(``prose.interpolate_text``), so that a value with a space or a quote stays
one argument. It runs in the folder behave runs in, in a process group of
its own (:mod:`zmqprose.safety.processes`); its output and error output go to
files in its own folder in the run's folder, so that a chatty command costs
no memory. ``run`` waits for its end (bounded); ``start`` leaves it running
in the background until the scenario ends.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zmqprose import actionlog
from zmqprose.apps.output import Output, file_size
from zmqprose.apps.run_folder import check_there, removed
from zmqprose.apps.running import Looks, ended_note, handed
from zmqprose.errors import ProseError, WaitTimeout
from zmqprose.files import open_inside
from zmqprose.limits import seconds
from zmqprose.safety.processes import exit_description, interrupts_held, spawn, stop_group
from zmqprose.wire.masking import mask_text

STOP_GRACE = 1.0  # seconds a background command has to end after SIGTERM when its scenario ends
CHECK_INTERVAL = 0.05  # seconds between looks at the background commands during a wait


@dataclass
class Command:
    """A command the scenario ran or started: its process and where its output went."""

    line: str
    args: list[str]  # the line split, ${…} filled in: what ran
    name: str
    process: Any  # subprocess.Popen[bytes]
    folder: Path
    started_at: float
    noticed: bool = False  # its death has failed a wait already (once is enough)
    names: frozenset[str] = frozenset()  # the ports and addresses its arguments name, filled in
    looks: Looks = field(default_factory=Looks)  # when it was last seen running, and first seen ended

    @property
    def out_path(self) -> Path:
        return self.folder / "stdout"

    @property
    def err_path(self) -> Path:
        return self.folder / "stderr"

    def output(self) -> Output:
        """What it printed on its standard output so far (read in pieces, as a check needs it)."""
        check_there(f"the output of {self.name} cannot be read", self.out_path)
        return Output(self.out_path)

    def error_output(self) -> Output:
        """What it printed on its error output so far."""
        check_there(f"the error output of {self.name} cannot be read", self.err_path)
        return Output(self.err_path)

    def last_lines(self, lines: int = 10) -> str:
        """The end of what it printed, for a failure: its error output, else its output (either may be gone)."""
        for path, what in ((self.err_path, "error output"), (self.out_path, "output")):
            if file_size(path):  # of the file zmqprose made; a link left in its place is not read through
                return f"its {what} ends:\n{Output(path).tail(lines)}"
        if not os.path.lexists(self.folder):
            return f"its output cannot be shown: {removed('its folder', self.folder)}"
        return "it printed nothing"

    def describe(self) -> str:
        """How failures name it: ``"pump" (python tools/pump.py …, pid 123)``."""
        return f"{self.name} ({mask_text(shlex.join(self.args))}, pid {self.process.pid})"


def split_command(line: str) -> list[str]:
    """A command line split as a shell would (quotes); nothing is filled in."""
    try:
        words = shlex.split(line)
    except ValueError as error:
        raise ProseError(f"cannot split the command line {line!r}: {error} (check its quotes)") from None
    if not words:
        raise ProseError("the command line is empty: write the program and its arguments")
    return words


def command_arguments(command: str | Sequence[str]) -> tuple[str, list[str]]:
    """A command as it is shown and as it runs: a line (split as a shell would) or a list of its arguments."""
    if isinstance(command, str):
        return command, split_command(command)
    args = list(command)
    if not args or not all(isinstance(arg, str) for arg in args):
        raise ProseError(f"a command is a line or a list of its arguments (texts), not {args!r}")
    return shlex.join(args), args


class Commands:
    """The commands of one scenario: the last one run, and the ones started by name."""

    def __init__(self, new_folder: Callable[[str, str], Path],
                 marker: Callable[[], str] = lambda: "", log: actionlog.ActionLog | None = None,
                 scenario_marker: Callable[[], str] = lambda: "") -> None:
        self._new_folder = new_folder
        self._log = log or actionlog.ActionLog()  # the scenario's: its picture shows the commands
        self._marker = marker  # the run's marker, carried by every command (and whatever it starts)
        self._scenario_marker = scenario_marker  # the scenario's: what a command started ends with the scenario
        self.last: Command | None = None
        self.started: dict[str, Command] = {}
        self._next_check = 0.0

    @staticmethod
    def split(line: str) -> list[str]:
        """A command line split as a shell would split it (quotes): the arguments ``run`` gives the program.

        Example: ``prose.using_shell().split("python -c 'print(1)'")  # ["python", "-c", "print(1)"]``
        """
        return split_command(line)

    def run(self, line: str | Sequence[str], timeout: float) -> Command:
        """Run a command to its end, waiting up to ``timeout``; one still running then is killed, group and all.
        ``line``: a command line (split as a shell would, run by none) or a list of its arguments, as it is.

        Example: ``prose.using_shell().run(["python", "tools/pump.py", str(port), "1000"], timeout=60)``
        """
        with interrupts_held():  # a Ctrl-C now would leave the command running, unknown to stop_all
            command = self._spawn(line, "command")
            self.last = command
        try:
            command.process.wait(timeout)
        except subprocess.TimeoutExpired:
            stop_group(command.process, STOP_GRACE)
            raise WaitTimeout(f"{command.describe()} was still running after {seconds(timeout)} s, "
                              f"so it was stopped, group and all; its output ends:\n{command.output().tail(10)}"
                              ) from None
        command.looks.ended_now()
        actionlog.log_now("ran", mask_text(shlex.join(command.args)), exit_description(command.process.returncode),
                          live=self._log)
        self._log.event("command", command.name, exit_description(command.process.returncode))
        return command

    def start(self, line: str | Sequence[str], name: str) -> Command:
        """Start a command (a line or a list of its arguments, as for :meth:`run`) in the background as ``name``;
        it is stopped when the scenario ends.

        Example: ``prose.using_shell().start("python tools/pump.py 5557 1000000", "pump")``
        """
        if name in self.started and self.started[name].process.poll() is None:
            raise ProseError(f'a command named "{name}" is still running in this scenario: pick another name')
        with interrupts_held():
            command = self._spawn(line, name)
            self.started[name] = command
        return command

    def check_background(self) -> None:
        """Fail if a command started in the background has died since: ended by a signal or with an exit
        code other than 0 (one that ended with 0 is done, as a pump is). Called during a wait on any socket of
        the scenario, so that the wait fails at once, naming the command, how it ended and its last lines;
        each death fails one wait (looked at no more often than every 50 ms)."""
        now = time.monotonic()
        if now < self._next_check:
            return
        self._next_check = now + CHECK_INTERVAL
        for command in self.started.values():
            if command.noticed or command.looks.look(command.process) in (None, 0):
                continue
            command.noticed = True
            ended = exit_description(command.process.returncode)
            self._log.event("command", command.name, ended)
            raise ProseError(f"{command.describe()}, started in the background by this scenario, {ended}; "
                             f"{command.last_lines()}")

    def ended_cleanly(self, addresses: list[str], began: float) -> list[str]:
        """What a wait on a socket of the spec's own (at ``addresses``) that timed out says of the commands of the
        scenario (the last one run, those started) that ended with code 0 (a one-shot client that is done),
        where that can be why nothing came: the command was handed one of the socket's ports or addresses, or
        none at all. ``began``: the scenario's start, which the times are told from."""
        commands = [*([self.last] if self.last is not None else []), *self.started.values()]  # run, or started
        return [ended_note(command.name, command.looks, began) for command in commands
                if command.looks.look(command.process) == 0 and handed(command.names, addresses)]

    def named(self, name: str) -> Command:
        """A command started with ``as "NAME"``."""
        if name not in self.started:
            known = ", ".join(f'"{n}"' for n in self.started) or "none yet"
            raise ProseError(f'no command named "{name}" in this scenario (started: {known}): '
                             f'start one with \'I start "COMMAND LINE" as "{name}"\'')
        return self.started[name]

    def latest(self) -> Command:
        """The last command run with ``run``."""
        if self.last is None:
            raise ProseError("no command has been run in this scenario: write 'I run \"COMMAND LINE\"' first")
        return self.last

    def stop_all(self) -> None:
        """Stop every command (at the end of the scenario), group and all: the background ones, and the last
        one run if its step was interrupted while it waited for it; one that ended by itself too, for what it
        left in its group (a group that is gone is not signalled)."""
        for command in [*self.started.values(), *([self.last] if self.last is not None else [])]:
            stop_group(command.process, STOP_GRACE)

    def _spawn(self, command: str | Sequence[str], name: str) -> Command:
        line, args = command_arguments(command)
        folder = self._new_folder(f"command-{name}", f"cannot run {mask_text(line)!r}")
        with open_inside(folder, "stdout", "new") as out, open_inside(folder, "stderr", "new") as err:
            try:
                process = spawn(args, Path.cwd(), {}, stdout=out, stderr=err, marker=self._marker(),
                                scenario_marker=self._scenario_marker())
            except OSError as error:
                raise ProseError(f"cannot run {args[0]!r} (from {mask_text(line)!r}): {error.strerror}") from None
            except ValueError as error:
                raise ProseError(f"cannot run {mask_text(line)!r}: an argument, filled in, cannot be given to a "
                                 f"program ({error})") from None
        actionlog.log_now("run" if name == "command" else "start", mask_text(" ".join(args)), live=self._log)
        self._log.event("command", f'"{name}"' if name != "command" else "the command", "started: " + " ".join(args),
                        names=actionlog.named_endpoints(args) if self._log.keeps_events else "")
        return Command(line, args, f'"{name}"' if name != "command" else "the command", process, folder,
                       time.monotonic(), names=frozenset(actionlog.named_endpoints(args).split()))
