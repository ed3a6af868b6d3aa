"""``expects_file(path)``: checks of a file that an app (or a command) writes in the run's folder.

The path must lie inside the run's folder (``${APP.folder}/…``), and the
file is read only through folders that are not links, in pieces, keeping
no more than the end of the last piece that a text could straddle
(:func:`zmqprose.apps.output.file_in`).
"""

from __future__ import annotations

import time
from pathlib import Path

from zmqprose.apps.output import Output, file_in
from zmqprose.errors import ProseError, WaitTimeout, checked
from zmqprose.limits import seconds

LOOK_EVERY = 0.05  # seconds between looks at a file another process writes


@checked
class ExpectsFile:
    """Expectations about one file in the run's folder: what it holds, now or within a wait."""

    def __init__(self, run_folder: Path, path: str, timeout: float) -> None:
        self._path = path
        self._file: Output = file_in(run_folder, path)
        self._timeout = timeout

    def contains(self, text: str, timeout: float | None = None) -> None:
        """It holds ``text`` now, or within ``timeout`` (default: the default wait): a file that is not there yet
        is waited for too; each look reads only what was added since the last.

        Example: ``prose.expects_file(prose.interpolate("${zlog.folder}/out.log")).contains("hello", timeout=2)``
        """
        wait = self._timeout if timeout is None else timeout
        deadline = time.monotonic() + wait
        while not self._file.contains(text):
            if time.monotonic() >= deadline:
                raise WaitTimeout(f"the file {self._path!r} does not contain {text!r} (waited {seconds(wait)} s)"
                                  f"{self._how_it_ends()}")
            time.sleep(LOOK_EVERY)  # another process writes the file: nothing to wait on but a look

    def does_not_contain(self, text: str) -> None:
        """It is there, and does not hold ``text`` now (a file that is not there fails: its path may be wrong).

        Example: ``prose.expects_file(prose.interpolate("${zlog.folder}/out.log")).does_not_contain("ERROR")``
        """
        if not self._file.exists():
            raise ProseError(f"the file {self._path!r} does not exist, so it cannot be checked for what it does "
                             f"not contain: is its path right, and has the app written it yet?")
        if self._file.contains(text):
            raise ProseError(f"the file {self._path!r} contains {text!r}, but should not; it ends:\n"
                             f"{self._file.tail()}")

    def _how_it_ends(self) -> str:
        if not self._file.exists():
            return "; it does not exist"
        return f"; it ends:\n{self._file.tail()}"
