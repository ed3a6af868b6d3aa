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
STORY_KEPT = 5_000  # events of one scenario kept for its picture (the first ones; later ones are counted)
_stories = False  # whether scenarios keep their events for pictures (-D diagrams, -D action_log=FILE)


def keep_stories(keep: bool = True) -> None:
    """Let every scenario keep its events, for its picture (nothing is kept, or drawn, unless asked)."""
    global _stories
    _stories = keep


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
        self._events: list[tuple[float, str, str, object, dict[str, object]]] | None = [] if _stories else None
        self._events_dropped = 0

    @property
    def keeps_events(self) -> bool:
        """Whether this scenario keeps its events for a picture."""
        return self._events is not None

    def event(self, kind: str, actor: str, detail: object = None, **facts: object) -> None:
        """Keep one event of the scenario for its picture (only when pictures are asked for): ``kind`` (socket,
        send, receive, nothing, close, stub-in, stub-out, push, pull, app, command, failure), who (a socket's
        label, an app), what (frames, rendered only when drawn) and facts (type, address, app, waited)."""
        if self._events is None:
            return
        if len(self._events) >= STORY_KEPT:
            self._events_dropped += 1
            return
        self._events.append((time.monotonic(), kind, actor, detail, facts))

    def skipped_last(self) -> None:
        """The last event (a receive) was a message that an ``eventually`` skipped: the picture folds those."""
        if self._events and self._events[-1][1] == "receive":
            at, _, actor, detail, facts = self._events[-1]
            self._events[-1] = (at, "skipped", actor, detail, facts)

    def story(self) -> dict[str, object]:
        """The scenario's events as plain values (text rendered, secrets masked), for a picture or a file."""
        events = [{"at": round(at - self._began, 6), "kind": kind, "actor": mask_text(actor),
                   "detail": None if detail is None else mask_text(show_frames(detail) if isinstance(detail, list)
                                                                   else str(detail)),
                   **{key: mask_text(str(value)) if isinstance(value, str) else value for key, value in facts.items()}}
                  for at, kind, actor, detail, facts in self._events or []]
        return {"events": events, "not_kept": self._events_dropped}

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
