"""``expects_command(name)``: checks of a command the scenario ran or started."""

from __future__ import annotations

import subprocess

from zmqprose.checks.app import first_value, require_match, wait_for_text
from zmqprose.commands.shell import Command
from zmqprose.errors import ProseError, WaitTimeout, checked
from zmqprose.safety.processes import exit_description
from zmqprose.wire.matching import show_text


@checked
class ExpectsCommand:
    """Expectations about one command: its exit code, its output, its error output."""

    def __init__(self, command: Command, timeout: float) -> None:
        self._command = command
        self._timeout = timeout

    def exits_with(self, code: int, timeout: float | None = None) -> None:
        """It ended (or ends within ``timeout``) with exit code ``code``.

        Example: ``prose.expects_command().exits_with(0, timeout=5)``
        """
        command = self._command
        wait = self._timeout if timeout is None else timeout
        try:
            command.process.wait(wait)
        except subprocess.TimeoutExpired:
            raise WaitTimeout(f"{command.describe()} is still running after {wait:g} s; "
                              f"expected it to exit with code {code}") from None
        if command.process.returncode != code:
            raise ProseError(f"{command.describe()} was expected to exit with code {code}, but it "
                             f"{exit_description(command.process.returncode)}; its output ends:\n"
                             f"{command.output().tail(10)}\n"
                             f"  its error output ends:\n{command.error_output().tail(10)}")

    def output_contains(self, text: str, timeout: float | None = None) -> None:
        """Its output holds ``text`` (a command still running has ``timeout``, by default the default wait,
        to print it).

        Example: ``prose.expects_command("pump").output_contains("sent 1000", timeout=10)``
        """
        command = self._command
        wait = self._timeout if timeout is None else timeout

        def ended() -> bool:
            return command.process.poll() is not None

        if not wait_for_text(command.output(), text, wait, ended):
            why = " (it has ended: nothing more will come)" if ended() else f" (waited {wait:g} s)"
            raise ProseError(f"the output of {command.describe()} does not contain {text!r}{why}; "
                             f"it ends:\n{command.output().tail(10)}")

    def output_does_not_contain(self, text: str) -> None:
        """Its output does not hold ``text`` (now: a command still running may print it later).

        Example: ``prose.expects_command().output_does_not_contain("lost")``
        """
        command = self._command
        if command.output().contains(text):
            raise ProseError(f"the output of {command.describe()} contains {text!r}, but should not; "
                             f"it ends:\n{command.output().tail(10)}")

    def output_matches(self, expected: str) -> None:
        """Its whole output matches ``expected``: a text, or a marker such as ``#regex PATTERN``.

        Example: ``prose.expects_command().output_matches("#regex (?s).*OK.*")``
        """
        require_match(self._command.output(), expected, f"the output of {self._command.describe()}", self._timeout)

    def error_output_is_empty(self) -> None:
        """It printed nothing on its error output.

        Example: ``prose.expects_command().error_output_is_empty()``
        """
        command = self._command
        if command.error_output().size():
            raise ProseError(f"the error output of {command.describe()} is not empty; it ends:\n"
                             f"{command.error_output().tail(10)}")

    def output_is(self, text: str) -> None:
        """Its whole output is ``text``, with one trailing newline removed (as a shell's ``$(…)`` reads it,
        one line's worth): ``the command's output is "ok"`` for a command that printed ``ok\\n``.

        Example: ``prose.expects_command().output_is("pong")``
        """
        command = self._command
        try:
            printed = command.output().data()
        except ValueError as error:
            raise ProseError(f"the output of {command.describe()} is too long to compare as a whole ({error}): "
                             f"check a part of it with 'output contains'") from None
        printed = printed.removesuffix(b"\n")
        if printed != text.encode("utf-8"):
            shown = show_text(printed.decode("utf-8", errors="replace")) if printed else "empty"
            raise ProseError(f"the output of {command.describe()} is {shown}, not {show_text(text)} "
                             f"(one trailing newline is left out)")

    def value_in_output(self, pattern: str, timeout: float | None = None) -> str:
        """The first group (or the whole line) of the first line of its output that ``pattern`` (``#regex …``)
        matches whole; a command still running has ``timeout`` (default: the default wait) to print it.
        ``store what the command's output matches`` keeps it.

        Example: ``key = prose.expects_command().value_in_output("#regex public: (\\S+)")``
        """
        command = self._command
        wait = self._timeout if timeout is None else timeout
        return first_value(command.output(), pattern, wait, f"the output of {command.describe()}",
                           lambda: command.process.poll() is not None)
