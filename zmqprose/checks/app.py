"""``expects_app(name)``: checks of an app zmqprose started; none of them starts anything."""

from __future__ import annotations

import subprocess
import time

from zmqprose.apps.output import Output
from zmqprose.apps.supervisor import AppSupervisor
from zmqprose.errors import AppError, ProseError, WaitTimeout
from zmqprose.wire.matching import frame_matches, matching_within

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


def wait_for_text(output: Output, text: str, timeout: float) -> bool:
    """Whether ``text`` appears in ``output`` within ``timeout`` (it may still be being written);
    each look reads only what is new."""
    deadline = time.monotonic() + timeout
    while not output.contains(text):
        if time.monotonic() >= deadline:
            return False
        time.sleep(LOOK_EVERY)  # another process writes the file: nothing to wait on but a look
    return True


class ExpectsApp:
    """Expectations about one app under test: running or not, how it ended, what it printed."""

    def __init__(self, apps: AppSupervisor, name: str, timeout: float) -> None:
        self._apps = apps
        self._name = name
        self._timeout = timeout

    def is_running(self) -> None:
        """It runs now (e.g. it survived a malformed message)."""
        if not self._apps.has_started(self._name):
            raise AppError(f"{self._name} is not running: no step started it in this run")
        if self._apps.current(self._name) is None:
            raise AppError(f"{self._name} is not running: {self._apps.latest(self._name).death_notice()}")

    def is_not_running(self) -> None:
        """It does not run now (it was stopped, or it ended)."""
        if (running := self._apps.current(self._name)) is not None:
            raise AppError(f"{self._name} is still running (pid {running.process.pid}), but should not be")

    def exits_with(self, code: int, timeout: float | None = None) -> None:
        """It ends by itself with exit code ``code`` within ``timeout`` (default: the default wait)."""
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
        behind what an app does). Its output: what its current process printed in this scenario."""
        wait = self._timeout if timeout is None else timeout
        output = self._apps.output(self._name)
        if not wait_for_text(output, text, wait):
            raise WaitTimeout(f"{self._name}'s output does not contain {text!r} (waited {wait:g} s; "
                              f"what its current process printed in this scenario); it ends:\n{output.tail()}")

    def output_does_not_contain(self, text: str) -> None:
        """Its output (of its current process, in this scenario) does not hold ``text`` now."""
        output = self._apps.output(self._name)
        if output.contains(text):
            raise ProseError(f"{self._name}'s output contains {text!r}, but should not; it ends:\n{output.tail()}")

    def output_matches(self, expected: str) -> None:
        """Its whole output (of its current process, in this scenario) matches ``expected``: a text, or a
        marker such as ``#regex PATTERN`` (a full match, with the time bound of every ``#regex``)."""
        require_match(self._apps.output(self._name), expected, f"{self._name}'s output", self._timeout)
