"""``expects_app(name)``: checks of an app zmqprose started; none of them starts anything."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from zmqprose.apps.output import Output
from zmqprose.apps.supervisor import AppSupervisor
from zmqprose.errors import AppError, ProseError, WaitTimeout, checked
from zmqprose.limits import seconds
from zmqprose.wire.matching import REGEX_MARKER, compile_regex, frame_matches, matching_within

if TYPE_CHECKING:
    from zmqprose.sockets.socket import ProseSocket

NewSocket = Callable[[int, str, str], "ProseSocket"]  # a socket of ZeroMQ type kind, type name and label

LOOK_EVERY = 0.05  # seconds between looks at another process's output


def require_match(output: Output, expected: str, whose: str, timeout: float) -> None:
    """A whole output matches ``expected`` (text, or a marker); a failure shows how it ends."""
    try:
        whole = output.data()  # as printed: held once, not as bytes, text and bytes again
    except ValueError as error:
        raise ProseError(f"{whose} is too long to match as a whole ({error}): check a part of it with "
                         f"'output contains'") from None
    if not is_utf8(whole):  # what is not UTF-8 is matched as U+FFFD, as it is shown
        whole = whole.decode("utf-8", errors="replace").encode("utf-8")
    with matching_within(timeout):
        matches = frame_matches(expected, whole)
    if not matches:
        raise ProseError(f"{whose} does not match {expected!r}; it ends:\n{output.tail()}")


def is_utf8(data: bytes) -> bool:
    """Whether ``data`` is UTF-8 text."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def wait_for_text(output: Output, text: str, timeout: float, has_ended: Callable[[], bool] = lambda: False) -> bool:
    """Whether ``text`` appears in ``output`` within ``timeout`` (it may still be being written), looking no
    longer once ``has_ended()``: a process that has ended prints nothing more. Each look reads only what is new."""
    deadline = time.monotonic() + timeout
    while True:
        ended = has_ended()  # asked before the look: all it printed before it ended is read by this look
        if output.contains(text):
            return True
        if ended or time.monotonic() >= deadline:
            return False
        time.sleep(LOOK_EVERY)  # another process writes the file: nothing to wait on but a look


def first_value(output: Output, marker: str, wait: float, whose: str, has_ended: Callable[[], bool]) -> str:
    """The first group (or, without one, the whole) of the first line of ``output`` that the ``#regex`` marker
    matches whole, waiting up to ``wait`` for it to be printed (no longer once ``has_ended()``: nothing more
    will come); read a line at a time, each match bounded by the wait. Nothing found fails, showing how the
    output ends."""
    if not marker.startswith(REGEX_MARKER):
        raise ProseError(f"{marker!r} is not a pattern: write \"#regex PATTERN\", whose first group (or the whole "
                         f"line, without a group) is the value kept, e.g. \"#regex public: (\\S+)\"")
    pattern = compile_regex(marker)
    deadline = time.monotonic() + wait
    while True:
        ended = has_ended()  # asked before the look: all it printed before it ended is read by this look
        try:
            match = output.first_line_match(pattern, deadline, ended)
        except TimeoutError:
            raise ProseError(f"the pattern {marker!r} ran out of time on a line of {whose}: it backtracks too "
                             f"much; write a simpler pattern (e.g. no nested repeats like (a+)+)") from None
        if match is not None:
            return (match.group(1) or "") if pattern.groups else match.group(0)
        if ended or time.monotonic() >= deadline:
            why = "it has ended" if ended else f"waited {seconds(wait)} s"
            raise WaitTimeout(f"no line of {whose} matches {marker!r} ({why}; what it printed in this "
                              f"scenario); it ends:\n{output.tail()}")
        time.sleep(LOOK_EVERY)  # another process writes the file: nothing to wait on but a look


@checked
class ExpectsApp:
    """Expectations about one app under test: running or not, how it ended, what it printed, whether it
    answers its probe."""

    def __init__(self, apps: AppSupervisor, name: str, timeout: float, *, lookup: Callable[[str], Any] | None = None,
                 session_id: str = "", new_socket: NewSocket | None = None) -> None:
        """Of a scenario, if there is one: its ``${…}`` (``lookup``: a probe's port may name its sockets), its
        Jupyter session, and where a probe's socket is made and logged (``new_socket``; without one, in the
        run's context, unlogged)."""
        self._apps = apps
        self._name = name
        self._timeout = timeout
        self._lookup = lookup
        self._session_id = session_id
        self._new_socket = new_socket

    def is_running(self) -> None:
        """It runs now (e.g. it survived a malformed message); an app zmqprose does not start (no ``start``)
        runs when its ports accept connections.

        Example: ``prose.expects_app("ogre").is_running()``
        """
        if self._apps.settings.app_settings(self._name).start is None:
            self._apps.check_ports(self._name)
            return
        if not self._apps.has_started(self._name):
            raise AppError(f"{self._name} is not running: no step started it in {self._apps.started_in(self._name)}")
        if self._apps.current(self._name) is None:
            raise AppError(f"{self._name} is not running: {self._apps.latest(self._name).death_notice()}")

    def is_not_running(self) -> None:
        """It does not run now (it was stopped, or it ended).

        Example: ``prose.expects_app("ogre").is_not_running()``
        """
        if (running := self._apps.current(self._name)) is not None:
            raise AppError(f"{self._name} is still running (pid {running.process.pid}), but should not be")

    def exits_with(self, code: int, timeout: float | None = None) -> None:
        """It ends by itself with exit code ``code`` within ``timeout`` (default: the default wait).

        Example: ``prose.expects_app("pump").exits_with(0, timeout=10)``
        """
        wait = self._timeout if timeout is None else timeout
        try:
            ended = self._apps.wait_for_end(self._name, wait)
        except subprocess.TimeoutExpired:
            pid = self._apps.latest(self._name).process.pid
            raise WaitTimeout(f"{self._name} (pid {pid}) is still running after {wait:g} s; "
                              f"expected it to exit with code {code}") from None
        if ended.process.returncode != code:
            raise AppError(f"{self._name} was expected to exit with code {code}, but it {ended.death_notice()}")

    def output_contains(self, text: str, timeout: float | None = None) -> None:
        """Its output holds ``text``, now or within ``timeout`` (default: the default wait; output lags
        behind what an app does). Its output: what its current process printed in this scenario.

        Example: ``prose.expects_app("ogre").output_contains("listening", timeout=2)``
        """
        wait = self._timeout if timeout is None else timeout
        output = self._apps.output(self._name)

        def ended() -> bool:
            return self._apps.current(self._name) is None

        if not wait_for_text(output, text, wait, ended):
            why = "it has ended: nothing more will come" if ended() else f"waited {wait:g} s"
            raise WaitTimeout(f"{self._name}'s output does not contain {text!r} ({why}; "
                              f"what its current process printed in this scenario); it ends:\n{output.tail()}")

    def output_does_not_contain(self, text: str) -> None:
        """Its output (of its current process, in this scenario) does not hold ``text`` now.

        Example: ``prose.expects_app("ogre").output_does_not_contain("Traceback")``
        """
        output = self._apps.output(self._name)
        if output.contains(text):
            raise ProseError(f"{self._name}'s output contains {text!r}, but should not; it ends:\n{output.tail()}")

    def output_matches(self, expected: str) -> None:
        """Its whole output (of its current process, in this scenario) matches ``expected``: a text, or a
        marker such as ``#regex PATTERN`` (a full match, with the time bound of every ``#regex``).

        Example: ``prose.expects_app("ogre").output_matches("#regex (?s).*listening.*")``
        """
        require_match(self._apps.output(self._name), expected, f"{self._name}'s output", self._timeout)

    def value_in_output(self, pattern: str, timeout: float | None = None) -> str:
        """The first group (or the whole line) of the first line of its output that ``pattern`` (``#regex …``)
        matches whole, waiting up to ``timeout`` (default: the default wait) for it; its output: what its
        current process printed in this scenario. ``store what APP's output matches`` keeps it.

        Example: ``key = prose.expects_app("keygen").value_in_output("#regex public: (\\S+)")``
        """
        wait = self._timeout if timeout is None else timeout
        return first_value(self._apps.output(self._name), pattern, wait, f"{self._name}'s output",
                           lambda: self._apps.current(self._name) is None)

    def still_answers(self, timeout: float | None = None) -> None:
        """It answers its probe (its settings' ``probe``) within ``timeout`` (default: the default wait), as
        the probe expects: sent on a fresh socket of the probe's type to the probe's port, closed after.

        ``is_running`` knows only that the process zmqprose started lives; a
        service whose workers died behind a front end that lives fails here.

        Example: ``prose.expects_app("salt").still_answers(timeout=2)``
        """
        from zmqprose.apps.probes import ask, describe, expected_answer, format_context, probe_address, the_probe

        wait = self._timeout if timeout is None else timeout
        name = self._name
        app = self._apps.settings.app_settings(name)
        the_probe(app)
        if reason := self._not_running():
            raise AppError(f"{name} does not answer its probe: {reason}")
        value = self._apps.settings.setting(name, the_probe(app).port, self._lookup)  # ${socket.…}: filled in once
        address = probe_address(app, value)
        answer = ask(app, address, wait, self._probe_socket,
                     format_context(app, self._session_id), self._check_alive)
        probe = describe(app, address, answer.showing)
        if answer.frames is None:
            died = f"; {reason}" if (reason := self._not_running()) else ""
            raise WaitTimeout(f"{name} does not answer its probe: {answer.shown} on {probe}{died}")
        if answer.difference is not None:
            raise ProseError(f"{name} answered its probe wrongly: {answer.shown} on {probe}, expected "
                             f"{expected_answer(app, answer.showing)} ({answer.difference})")

    def _probe_socket(self, kind: int, type_name: str, label: str) -> ProseSocket:
        from zmqprose.sockets.context import run_context
        from zmqprose.sockets.socket import ProseSocket

        if self._new_socket is not None:
            return self._new_socket(kind, type_name, label)
        return ProseSocket.make(run_context(), kind, type_name, None, label)

    def _not_running(self) -> str | None:
        """Why the app cannot answer: zmqprose started it and it runs no more (it died, or a step stopped it), or
        it has a ``start`` and no step started it."""
        if not self._apps.has_started(self._name):
            return self._apps.why_not_answering(self._name)
        if self._apps.current(self._name) is None:
            return f"it is not running: {self._apps.latest(self._name).death_notice()}"
        return None

    def _check_alive(self) -> None:
        """Raise while the probe's answer is waited for, if the app has died meanwhile."""
        if self._apps.has_started(self._name) and self._apps.current(self._name) is None:
            raise AppError(f"{self._name} does not answer its probe: it died while the answer was awaited: "
                           f"{self._apps.latest(self._name).death_notice()}")
