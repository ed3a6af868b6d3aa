"""The action log: what a scenario did, a line for each action when it is done (with what came back).

Writing a log record costs tens of microseconds, more than a whole
request/reply step should; so the lines are kept in memory (the last
:data:`KEPT` of them, at most :data:`LOG_BYTES_KEPT` bytes) and written to
the ``zmqprose`` logger only when a scenario fails, where behave and pytest
show them with the failure. A live run (:class:`RunOptions`) prints every
line as it happens instead. Details are rendered only when a line is
written, so a passing scenario never pays for shortening payloads.

What a scenario keeps is bounded in bytes as well as in count: a frame
longer than :data:`FRAME_BYTES_KEPT` is kept as its start and its size, a
message of more than :data:`FRAMES_KEPT` frames as its first ones; the
oldest lines go past :data:`LOG_BYTES_KEPT`, later events of the story past
:data:`STORY_BYTES_KEPT` (and each says how many it left out).

zmqprose's records are made here, as plain :class:`logging.LogRecord` objects
handed to the logger's handlers: neither the process's logger class (Salt
installs one whose ``makeRecord`` needs ``extra``) nor its record factory
takes part.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TextIO

from zmqprose.wire.format import InFormat, summary_of
from zmqprose.wire.frames import (
    IN_FULL,
    SHORTENED,
    Showing,
    cut_frames,
    show_frames,
)
from zmqprose.wire.masking import mask_text, safe_cut

log = logging.getLogger("zmqprose")
MB = 1 << 20
KEPT = 500  # lines of one scenario kept (the last ones)
IN_FAILURES = 40  # lines of the action log that a failure's message carries
STORY_KEPT = 5_000  # events of one scenario kept for its picture (the first ones; later ones are counted)
FRAME_BYTES_KEPT = 4_096  # bytes of one frame kept: a longer one is kept as its start, and its size
FRAMES_KEPT = 100  # frames of one message kept: a message of more keeps its first ones, and their count
TEXT_KEPT = 16_384  # characters of one text kept (a failure's message in the story)
SMALL_LINE = 2_048  # bytes of a line's values (the usual line) that it keeps unaccounted: at most KEPT of them
LOG_BYTES_KEPT = 3 * MB  # bytes the longer lines of one scenario keep: past them, the oldest go
LOG_BOUND = LOG_BYTES_KEPT + KEPT * SMALL_LINE  # bytes the lines of one scenario keep in all: 4 MB
STORY_BYTES_KEPT = 4 * MB  # bytes the story of one scenario keeps: past them, later events are counted
COST = 64  # bytes counted for a kept value (or frame, or line) besides its own bytes
NAMED = re.compile(r"(?P<address>(?:tcp|ipc|inproc|ws|wss)://[^\s'\",;]+)|(?<![\w.-])(?P<port>\d{2,5})(?![\w.-])")
TCP_PORT = re.compile(r":(\d{1,5})/?$")  # the port of a tcp address
NAMED_KEPT = 64  # ports and addresses an app's event names


@dataclass(frozen=True)
class RunOptions:
    """How a run shows and keeps what its scenarios do: made once per run (behave's ``before_all``, the pytest
    plugin for each test) and handed to each :class:`~zmqprose.Prose`, never set on a module."""

    live_log: bool = False  # print every line as it happens (-D action_log=live)
    frames_in_full: bool = False  # whole frames in logs and failures (-D show_frames=full)
    keep_stories: bool = False  # keep each scenario's events for its picture (-D diagrams, -D action_log=FILE)
    live_to: TextIO | None = field(default=None, compare=False, repr=False)  # where; None: the real stderr

    @property
    def showing(self) -> Showing:
        """How this run shows frames."""
        return IN_FULL if self.frames_in_full else SHORTENED


class ActionLog:
    """The story of one scenario's actions."""

    def __init__(self, options: RunOptions | None = None) -> None:
        self.options = options or RunOptions()
        self.live = self.options.live_log
        self.showing = self.options.showing
        self._began = time.monotonic()
        self._lock = threading.Lock()  # a stub's thread notes too
        self._entries: deque[tuple[float, str, tuple[object, ...], int]] = deque(maxlen=KEPT)
        self._entry_bytes = 0  # what the longer lines cost (at least: it is counted again when it seems too much)
        self._lines_not_kept = 0
        self._events: list[tuple[float, str, str, object, dict[str, object]]] | None = \
            [] if self.options.keep_stories else None
        self._event_bytes = 0
        self._events_dropped = 0

    @property
    def keeps_events(self) -> bool:
        """Whether this scenario keeps its events for a picture."""
        return self._events is not None

    def event(self, kind: str, actor: str, detail: object = None, **facts: object) -> None:
        """Keep one event of the scenario for its picture (only when pictures are asked for): ``kind`` (socket,
        send, receive, nothing, close, stub-in, stub-out, push, pull, app, command, failure), who (a socket's
        label, an app), what (frames, rendered only when drawn) and facts (type, address, app, waited).

        Past :data:`STORY_KEPT` events or :data:`STORY_BYTES_KEPT` bytes, later events are counted, not kept;
        a failure always is."""
        if self._events is None:
            return
        detail, cost = kept(detail)
        for key, value in facts.items():
            facts[key], more = kept(value)
            cost += more
        with self._lock:
            if kind != "failure" and (len(self._events) >= STORY_KEPT or self._event_bytes + cost > STORY_BYTES_KEPT):
                self._events_dropped += 1
                return
            self._events.append((time.monotonic(), kind, actor, detail, facts))
            self._event_bytes += cost

    def skipped_last(self) -> None:
        """The last event (a receive) was a message that an ``eventually`` skipped: the picture folds those."""
        with self._lock:
            if self._events and self._events[-1][1] == "receive":
                at, _, actor, detail, facts = self._events[-1]
                self._events[-1] = (at, "skipped", actor, detail, facts)

    def story(self) -> dict[str, object]:
        """The scenario's events as plain values (text rendered, secrets masked), for a picture or a file;
        ``not_kept``: how many later events were left out."""
        with self._lock:
            kept_events = list(self._events or [])
        events = [{"at": round(at - self._began, 6), "kind": kind, "actor": mask_text(actor),
                   "detail": None if detail is None else mask_text(str(self._show(detail))), **lead_of(detail),
                   **{key: mask_text(str(value)) if isinstance(value, str) else value for key, value in facts.items()}}
                  for at, kind, actor, detail, facts in kept_events]
        return {"events": events, "not_kept": self._events_dropped}

    def note(self, template: str, *values: object) -> None:
        """Note one line: ``template`` (``str.format`` style) and its values, rendered only if written.

        A value that is a list of frames is shown as a message: ``['PONG', '42']``; a long one is kept as its
        start (see :data:`FRAME_BYTES_KEPT`).
        """
        if is_small(values):  # the usual line, kept as it is: the last KEPT of them
            if len(self._entries) == KEPT:
                self._lines_not_kept += 1
            self._entries.append((time.monotonic(), template, values, 0))
        else:
            self._note_long(template, values)
        if self.live:
            self.write()

    def _note_long(self, template: str, values: tuple[object, ...]) -> None:
        """Note a line with a long message or text (kept as :func:`kept` says), its bytes accounted: past
        :data:`LOG_BYTES_KEPT`, the oldest lines go."""
        kept_values = [kept(value) for value in values]
        cost = COST + sum(more for _, more in kept_values)
        entry = (time.monotonic(), template, tuple(value for value, _ in kept_values), cost)
        with self._lock:
            entries = self._entries
            if len(entries) == KEPT:
                self._lines_not_kept += 1
            entries.append(entry)
            self._entry_bytes += cost
            if self._entry_bytes > LOG_BYTES_KEPT:  # a line that went by the count may still be counted here
                self._entry_bytes = sum(line[3] for line in entries)
            while self._entry_bytes > LOG_BYTES_KEPT and len(entries) > 1:
                self._entry_bytes -= entries.popleft()[3]
                self._lines_not_kept += 1

    def _show(self, value: object) -> object:
        """A value of a line as this run shows it: frames (and a message in a format) shortened or whole."""
        if isinstance(value, list):
            return show_frames(value, self.showing)
        show = getattr(value, "show", None)
        return show(self.showing) if callable(show) else value

    def _render(self, entry: tuple[float, str, tuple[object, ...], int]) -> str:
        at, template, values, _ = entry
        return mask_text(f"+{at - self._began:.3f} s  " + template.format(*map(self._show, values)))

    def _take(self, last: int | None = None) -> tuple[list[tuple[float, str, tuple[object, ...], int]], str]:
        """The kept lines (the ``last`` of them) and a line that says what came before them, if anything did;
        forgotten (they are told once)."""
        with self._lock:
            entries = list(self._entries)
            taken = entries if last is None else entries[-last:]
            not_kept = self._lines_not_kept
            earlier = len(entries) - len(taken) + not_kept
            self._entries.clear()
            self._entry_bytes = self._lines_not_kept = 0
        if not earlier:
            return taken, ""
        bound = f"a scenario keeps its last {KEPT} lines, at most {LOG_BYTES_KEPT // MB} MB"
        which = "" if not not_kept else " not kept" if not_kept == earlier else f", {not_kept} of them not kept"
        return taken, f"(… {earlier} earlier lines{which}{f': {bound}' if not_kept else ''})"

    def take_text(self, last: int = IN_FAILURES) -> str:
        """The kept lines, the ``last`` of them rendered as text, and forget them (they are told once)."""
        entries, before = self._take(last)
        return "\n".join(([before] if before else []) + [self._render(entry) for entry in entries])

    def write(self) -> None:
        """Write the kept lines and forget them: printed on a live run, else to the ``zmqprose`` logger at INFO.

        The records go straight to the logger's handlers, whatever its level,
        so that a failure always comes with its story.
        """
        entries, before = self._take()
        for line in ([before] if before else []) + [self._render(entry) for entry in entries]:
            if self.live:
                self._print_live(line)
            else:
                to_logger(line)

    def _print_live(self, line: str) -> None:
        stream = self.options.live_to or sys.__stderr__
        if stream is not None:
            stream.write(f"zmqprose: {line}\n")
            stream.flush()


def is_small(values: tuple[object, ...]) -> bool:
    """Whether a line's values are the usual ones, kept as they are: numbers, and texts and messages of at most
    :data:`SMALL_LINE` bytes together (a frame counted with its object). Every action notes a line: this is the
    quick way, written for speed (plain loops; exact types, anything else goes the long way)."""
    size = 0
    for value in values:
        kind = type(value)
        if kind is str:
            size += len(value)  # type: ignore[arg-type]
        elif kind is list:
            for frame in value:  # type: ignore[attr-defined]
                size += len(frame) + COST
        elif kind is not float and kind is not int:
            return False
    return size <= SMALL_LINE


def kept(value: object) -> tuple[object, int]:
    """A noted value as a log keeps it (a long frame as its start, a long text cut), and the bytes it costs."""
    if isinstance(value, str):
        if len(value) > TEXT_KEPT:
            value = f"{value[:safe_cut(value, TEXT_KEPT)]}…({len(value):,} characters)"
        return value, len(value) + COST
    if isinstance(value, list):
        size = sum(map(len, value))
        if size <= FRAME_BYTES_KEPT and len(value) <= FRAMES_KEPT:  # the usual message, kept as it is
            return value, size + COST * (len(value) + 1)
        frames = cut_frames(value, FRAME_BYTES_KEPT, FRAMES_KEPT)
        return frames, message_cost(frames)
    if isinstance(value, InFormat):
        frames = cut_frames(value.frames, FRAME_BYTES_KEPT, FRAMES_KEPT)
        return value if frames is value.frames else frames, message_cost(frames)  # too long to read in its format
    return value, COST


def lead_of(detail: object) -> dict[str, str]:
    """``{"lead": …}``: what tells a message apart, which its picture's arrow leads with (a Jupyter msg_type, a
    JSON-RPC method, a map's type or status: :func:`~zmqprose.wire.format.summary_of`), in its format's words,
    or as a last frame of JSON reads; ``{}`` for anything else."""
    found = None
    if isinstance(detail, InFormat):
        found = detail.summary()
    elif isinstance(detail, list) and detail and isinstance(detail[-1], bytes) and detail[-1][:1] in (b"{", b"["):
        try:
            found = summary_of(json.loads(detail[-1]))
        except (ValueError, RecursionError):  # not JSON (or cut short: a long frame is kept as its start)
            found = None
    return {"lead": mask_text(found)} if found else {}


def named_endpoints(texts: Iterable[str]) -> str:
    """The ports and addresses some texts name (an app's or a command's start, filled in; what its ``${…}``
    gave), as a story keeps them: ``"41261 ipc:///tmp/x"``. A picture finds who talks to a socket by them."""
    named: dict[str, None] = {}
    for text in texts:
        for found in NAMED.finditer(text):
            address, port = found.group("address"), found.group("port")
            if address is not None and address.startswith("tcp://"):
                tcp = TCP_PORT.search(address)
                port = tcp[1] if tcp else None
            elif address is not None:
                named[address] = None
            if port is not None and 0 < int(port) < 65536:
                named[str(int(port))] = None
    return " ".join(list(named)[:NAMED_KEPT])


def message_cost(frames: Sequence[bytes]) -> int:
    """The bytes a kept message costs: its frames, and an object for each."""
    return sum(map(len, frames)) + COST * (len(frames) + 1)


def to_logger(line: str) -> None:
    """Hand one line to the ``zmqprose`` logger's handlers (and its ancestors'), in a record made here."""
    record = logging.LogRecord(log.name, logging.INFO, __file__, 0, line, None, None)
    logging.Logger.handle(log, record)


def log_now(action: str, *details: object, live: ActionLog | None = None) -> None:
    """Tell a run-level event (an app started, stopped or exited; a command ran) straight away; these are rare.

    On a live run (``live``, the scenario's action log, is live) it is printed as it happens, among the
    scenario's lines, and only there; else it goes to the ``zmqprose`` logger at INFO.
    """
    if live is not None and live.live:
        live.note("{} {}", action, "  ".join(str(d) for d in details))
    elif logging.Logger.isEnabledFor(log, logging.INFO):
        to_logger(f"{action} {'  '.join(str(d) for d in details)}")
