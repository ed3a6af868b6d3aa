"""The action log: what a scenario did, a line for each action when it is done (with what came back).

Writing a log record costs tens of microseconds, more than a whole
request/reply step should; so the lines are kept in memory (the last
:data:`KEPT` of them) and written to the ``zmqprose`` logger only when a
scenario fails, where behave and pytest show them with the failure. With
``live=True`` every line is written as it happens. Details are rendered
only when a line is written, so a passing scenario never pays for
shortening payloads.
"""

from __future__ import annotations

import logging
import sys
import time
from collections import deque
from typing import TextIO

from zmqprose.wire.frames import show_frames
from zmqprose.wire.masking import mask_text

log = logging.getLogger("zmqprose")
KEPT = 500
IN_FAILURES = 40  # lines of the action log that a failure's message carries


def show_live(stream: TextIO | None = None) -> None:
    """Print every action-log line as it happens, on ``stream`` (the real stderr: behave captures the other)."""
    handler = logging.StreamHandler(stream or sys.__stderr__)
    handler.setFormatter(logging.Formatter("zmqprose: %(message)s"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False


class ActionLog:
    """The story of one scenario's actions."""

    def __init__(self, live: bool = False) -> None:
        self.live = live
        self._began = time.monotonic()
        self._entries: deque[tuple[float, str, tuple[object, ...]]] = deque(maxlen=KEPT)

    def note(self, template: str, *values: object) -> None:
        """Note one line: ``template`` (``str.format`` style) and its values, rendered only if written.

        A value that is a list of frames is shown as a message: ``['PONG', '42']``.
        """
        self._entries.append((time.monotonic(), template, values))
        if self.live:
            self.write()

    def _render(self, entry: tuple[float, str, tuple[object, ...]]) -> str:
        at, template, values = entry
        shown = [show_frames(value) if isinstance(value, list) else value for value in values]
        return mask_text(f"+{at - self._began:.3f} s  " + template.format(*shown))

    def take_text(self, last: int = IN_FAILURES) -> str:
        """The kept lines, the ``last`` of them rendered as text, and forget them (they are told once)."""
        entries = list(self._entries)[-last:]
        skipped = len(self._entries) - len(entries)
        self._entries.clear()
        lines = [self._render(entry) for entry in entries]
        return (f"(… {skipped} earlier lines)\n" if skipped else "") + "\n".join(lines)

    def write(self) -> None:
        """Write the kept lines to the ``zmqprose`` logger, at INFO, and forget them.

        The records go straight to the logger's handlers, whatever its level,
        so that a failure always comes with its story.
        """
        while self._entries:
            line = self._render(self._entries.popleft())
            log.handle(log.makeRecord(log.name, logging.INFO, __file__, 0, line, (), None))


def log_now(action: str, *details: object) -> None:
    """Log a run-level event (an app started or stopped) straight away; these are rare."""
    log.info("%s %s", action, "  ".join(str(d) for d in details))
