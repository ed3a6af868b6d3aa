"""ZMTP 3.0 and 3.1, read from the bytes one side of a connection sends (rfc.zeromq.org, specs 23 and 37).

A :class:`Decoder` is fed what one peer sent, in whatever pieces TCP gave
them, and says what it read, in order:

- the :class:`Greeting`: the signature, the version, the security mechanism,
  the as-server flag (64 bytes);
- then, for the NULL mechanism, :class:`Command`\\ s (``READY`` with its
  metadata, ``Socket-Type`` and ``Identity`` among it: :func:`properties`;
  ``PING``, ``PONG``, ``SUBSCRIBE``, ``CANCEL``, ``ERROR``) and
  :class:`Message`\\ s, each the frames that the MORE flag held together.

What it cannot read, it says once (:class:`Unreadable`) and reads no more:
an older ZMTP (1.0, 2.0), a mechanism other than NULL (CURVE encrypts
every frame; PLAIN's HELLO holds a password, which is not read either), a
frame too large to keep, or bytes that are not ZMTP. It never guesses.

Bounded: it holds at most one frame (up to ``max_frame`` bytes) and what
came with it; a frame announced larger is :class:`Unreadable` at once,
before its bytes arrive.
"""

from __future__ import annotations

from dataclasses import dataclass

GREETING_SIZE = 64
SIGNATURE_END = 0x7F  # the signature's last byte (byte 9); ZMTP 1.0 has a length there
MORE, LONG, COMMAND = 0x01, 0x02, 0x04
NOT_FLAGS = 0xF8  # bits a frame's flags byte never sets
MAX_FRAME = 1 << 20  # bytes of one frame a decoder keeps by default


@dataclass(frozen=True, slots=True)
class Greeting:
    """A peer's greeting: its ZMTP version, its mechanism (``NULL``, ``PLAIN``, ``CURVE``), and as-server."""

    version: tuple[int, int]
    mechanism: str
    as_server: bool


@dataclass(frozen=True, slots=True)
class Command:
    """A ZMTP command: its name (``READY``, ``PING``, ``SUBSCRIBE``…) and its data, as sent."""

    name: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Message:
    """A message: its frames, in order (the MORE flag held them together)."""

    frames: tuple[bytes, ...]


@dataclass(frozen=True, slots=True)
class Unreadable:
    """Why the rest of this side cannot be read (it is still relayed)."""

    why: str


Event = Greeting | Command | Message | Unreadable


class Decoder:
    """What one side of a connection said, read as it arrives (see the module)."""

    def __init__(self, max_frame: int = MAX_FRAME) -> None:
        self.max_frame = max_frame
        self.greeting: Greeting | None = None
        self.done = False  # unreadable from here on: fed bytes are ignored
        self._pending = b""  # what came after the last whole frame (a frame's start), at most a frame and its header
        self._frames: list[bytes] = []  # the frames of the message being read

    @property
    def holding(self) -> int:
        """Bytes held until the rest of their frame arrives."""
        return len(self._pending)

    def feed(self, data: bytes) -> list[Event]:
        """What ``data`` (the next bytes this side sent) completes, in order."""
        if self.done:
            return []
        if self._pending:
            data = self._pending + data
        events: list[Event] = []
        at = 0
        if self.greeting is None:
            at = self._read_greeting(data, events)
        if self.greeting is not None and not self.done:
            at = self._read_frames(data, at, events)
        self._pending = b"" if self.done else data[at:]
        return events

    def _stop(self, why: str, events: list[Event]) -> int:
        self.done = True
        self._frames = []
        events.append(Unreadable(why))
        return 0

    def _read_greeting(self, data: bytes, events: list[Event]) -> int:
        if data[:1] and data[0] != 0xFF:
            return self._stop("not ZMTP 3 (a ZMTP 1.0 peer, or not ZeroMQ at all)", events)
        if len(data) > 9 and data[9] != SIGNATURE_END:
            return self._stop("not ZMTP 3 (a ZMTP 1.0 peer: its greeting has no signature)", events)
        if len(data) > 10 and data[10] < 3:
            return self._stop(f"ZMTP {'2.0' if data[10] == 1 else '1.0'}, older than ZMTP 3", events)
        if len(data) < GREETING_SIZE:
            return 0
        mechanism = data[12:32].rstrip(b"\0").decode("ascii", "replace")
        self.greeting = Greeting((data[10], data[11]), mechanism, bool(data[32]))
        events.append(self.greeting)
        if mechanism != "NULL":
            what = "encrypted" if mechanism == "CURVE" else "authenticated (its HELLO holds a password)" \
                if mechanism == "PLAIN" else "secured"
            self._stop(f"the {mechanism} mechanism: {what}; relayed, not read", events)
        return GREETING_SIZE

    def _read_frames(self, data: bytes, at: int, events: list[Event]) -> int:
        size_of_data, frames = len(data), self._frames
        while size_of_data - at >= 2:
            flags = data[at]
            if flags & LONG:
                if size_of_data - at < 9:
                    break
                size, start = int.from_bytes(data[at + 1:at + 9], "big"), at + 9
            else:
                size, start = data[at + 1], at + 2
            if flags & NOT_FLAGS:
                return self._stop(f"a frame's flags byte is {flags:#04x}: not ZMTP 3 framing", events)
            if size > self.max_frame:
                return self._stop(f"a frame of {size:,} bytes, more than the {self.max_frame:,} kept of one", events)
            end = start + size
            if end > size_of_data:
                break
            at = end
            if flags & COMMAND:
                events.append(command(data[start:end]))
            elif flags & MORE:
                frames.append(data[start:end])
            else:
                frames.append(data[start:end])
                events.append(Message(tuple(frames)))
                frames.clear()
        return at


def command(body: bytes) -> Command:
    """A command from its frame's body: a name (its length in one byte), then its data."""
    size = body[0] if body else 0
    return Command(body[1:1 + size].decode("ascii", "replace"), body[1 + size:])


def properties(data: bytes) -> dict[str, bytes]:
    """The metadata of a READY (or INITIATE) command: names (one length byte) and values (four, big-endian).
    A truncated property ends the list (what was read before it is kept)."""
    found: dict[str, bytes] = {}
    at = 0
    while at < len(data):
        size = data[at]
        name = data[at + 1:at + 1 + size].decode("ascii", "replace")
        at += 1 + size
        if at + 4 > len(data):
            break
        length = int.from_bytes(data[at:at + 4], "big")
        at += 4
        if at + length > len(data):
            break
        found[name] = data[at:at + length]
        at += length
    return found
