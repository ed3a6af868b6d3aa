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


@dataclass(frozen=True)
class Greeting:
    """A peer's greeting: its ZMTP version, its mechanism (``NULL``, ``PLAIN``, ``CURVE``), and as-server."""

    version: tuple[int, int]
    mechanism: str
    as_server: bool


@dataclass(frozen=True)
class Command:
    """A ZMTP command: its name (``READY``, ``PING``, ``SUBSCRIBE``…) and its data, as sent."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Message:
    """A message: its frames, in order (the MORE flag held them together)."""

    frames: tuple[bytes, ...]


@dataclass(frozen=True)
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
        self._buffer = bytearray()
        self._frames: list[bytes] = []  # the frames of the message being read

    def feed(self, data: bytes) -> list[Event]:
        """What ``data`` (the next bytes this side sent) completes, in order."""
        if self.done:
            return []
        self._buffer += data
        events: list[Event] = []
        at = 0
        if self.greeting is None:
            at = self._read_greeting(events)
        if self.greeting is not None and not self.done:
            at = self._read_frames(at, events)
        if self.done:
            self._buffer = bytearray()
        elif at:
            del self._buffer[:at]
        return events

    def _stop(self, why: str, events: list[Event]) -> int:
        self.done = True
        self._frames = []
        events.append(Unreadable(why))
        return 0

    def _read_greeting(self, events: list[Event]) -> int:
        buffer = self._buffer
        if buffer[:1] and buffer[0] != 0xFF:
            return self._stop("not ZMTP 3 (a ZMTP 1.0 peer, or not ZeroMQ at all)", events)
        if len(buffer) > 9 and buffer[9] != SIGNATURE_END:
            return self._stop("not ZMTP 3 (a ZMTP 1.0 peer: its greeting has no signature)", events)
        if len(buffer) > 10 and buffer[10] < 3:
            return self._stop(f"ZMTP {'2.0' if buffer[10] == 1 else '1.0'}, older than ZMTP 3", events)
        if len(buffer) < GREETING_SIZE:
            return 0
        mechanism = bytes(buffer[12:32]).rstrip(b"\0").decode("ascii", "replace")
        self.greeting = Greeting((buffer[10], buffer[11]), mechanism, bool(buffer[32]))
        events.append(self.greeting)
        if mechanism != "NULL":
            what = "encrypted" if mechanism == "CURVE" else "authenticated (its HELLO holds a password)" \
                if mechanism == "PLAIN" else "secured"
            self._stop(f"the {mechanism} mechanism: {what}; relayed, not read", events)
        return GREETING_SIZE

    def _read_frames(self, at: int, events: list[Event]) -> int:
        buffer, size_of_buffer = self._buffer, len(self._buffer)
        while size_of_buffer - at >= 2:
            flags = buffer[at]
            if flags & NOT_FLAGS:
                return self._stop(f"a frame's flags byte is {flags:#04x}: not ZMTP 3 framing", events)
            if flags & LONG:
                if size_of_buffer - at < 9:
                    break
                size, start = int.from_bytes(buffer[at + 1:at + 9], "big"), at + 9
            else:
                size, start = buffer[at + 1], at + 2
            if size > self.max_frame:
                return self._stop(f"a frame of {size:,} bytes, more than the {self.max_frame:,} kept of one", events)
            end = start + size
            if end > size_of_buffer:
                break
            body = bytes(buffer[start:end])
            at = end
            if flags & COMMAND:
                events.append(command(body))
            elif flags & MORE:
                self._frames.append(body)
            else:
                self._frames.append(body)
                events.append(Message(tuple(self._frames)))
                self._frames = []
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
