"""What was said on one relayed connection, as the recorder keeps it: bounded, in order, both ways.

A :class:`Connection` is fed the bytes each peer sent (the relay calls
:meth:`Connection.heard`), reads them with a ZMTP decoder per side, and
keeps what a spec can replay: each side's greeting and READY metadata
(``Socket-Type``, ``Identity``), every message and subscription in the order
the relay saw them, with the time it saw them. ZMTP's own heartbeats
(PING, PONG) are counted, not kept.

What is kept per connection is bounded (:class:`Limits`): the messages, and
their bytes; past either, or at a frame too large to keep, the connection is
still relayed but no longer read, and :attr:`Connection.stopped` says where and
why. A ZMTP 3.0 subscription (a message of ``\\x01`` or ``\\x00`` and a topic, from
a SUB or XSUB) is kept as the subscription it is, as ZMTP 3.1's SUBSCRIBE is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from zmqprose.recording.zmtp import MAX_FRAME, Command, Decoder, Greeting, Message, Unreadable, properties

SUBSCRIBERS = ("SUB", "XSUB")


@dataclass(frozen=True)
class Limits:
    """What the recorder keeps: per connection, and how many connections it records."""

    messages: int = 2_000  # messages kept per connection (both ways)
    bytes: int = 16 << 20  # bytes of frames kept per connection
    frame: int = MAX_FRAME  # bytes of one frame
    connections: int = 64  # connections recorded; later ones are relayed, and counted


@dataclass(slots=True)
class Said:
    """One thing said on a connection: a message, a subscription or its cancel; by the client or the service."""

    at: float  # seconds since the recording began, when the relay read it
    by_client: bool
    kind: str  # "message", "subscribe", "cancel"
    frames: tuple[bytes, ...]  # a message's frames; a subscription's topic, alone


@dataclass
class Side:
    """What one peer said about itself: its greeting and its READY metadata."""

    greeting: Greeting | None = None
    metadata: dict[str, bytes] = field(default_factory=dict)
    ready: bool = False
    error: str | None = None  # a ZMTP ERROR command's reason
    unreadable: str | None = None

    @property
    def socket_type(self) -> str:
        return self.metadata.get("Socket-Type", b"").decode("ascii", "replace").upper()

    @property
    def identity(self) -> bytes:
        return self.metadata.get("Identity", b"")


class Connection:
    """One client's connection through the recorder (see the module)."""

    def __init__(self, number: int, opened: float, limits: Limits) -> None:
        self.number, self.opened, self.limits = number, opened, limits
        self.client, self.server = Side(), Side()
        self.said: list[Said] = []
        self.kept_bytes = 0
        self.heartbeats = 0  # ZMTP PINGs and PONGs, both ways
        self.stopped: str | None = None  # why what followed was not kept
        self.closed: float | None = None
        self._decoders = {True: Decoder(limits.frame), False: Decoder(limits.frame)}

    @property
    def reading(self) -> bool:
        """Whether anything more that is relayed is read (else it is only passed on)."""
        return self.stopped is None and not (self._decoders[True].done and self._decoders[False].done)

    def heard(self, by_client: bool, data: bytes, at: float) -> None:
        """Bytes one side sent, as the relay read them, ``at`` seconds into the recording."""
        decoder = self._decoders[by_client]
        if decoder.done or self.stopped is not None:
            return
        side = self.client if by_client else self.server
        for event in decoder.feed(data):
            if type(event) is Message:
                self._message(by_client, event.frames, at)
            elif isinstance(event, Command):
                self._command(side, by_client, event, at)
            elif isinstance(event, Greeting):
                side.greeting = event
            elif isinstance(event, Unreadable):
                side.unreadable = event.why
            if self.stopped is not None:
                return

    def _command(self, side: Side, by_client: bool, event: Command, at: float) -> None:
        if event.name == "READY":
            side.metadata.update(properties(event.data))
            side.ready = True
        elif event.name in ("PING", "PONG"):
            self.heartbeats += 1
        elif event.name in ("SUBSCRIBE", "CANCEL"):
            self._keep(Said(at, by_client, event.name.lower(), (event.data,)))
        elif event.name == "ERROR":
            side.error = event.data[1:1 + event.data[0]].decode("utf-8", "replace") if event.data else ""

    def _message(self, by_client: bool, frames: tuple[bytes, ...], at: float) -> None:
        if len(frames) == 1 and frames[0][:1] in (b"\x00", b"\x01") and \
                (self.client if by_client else self.server).socket_type in SUBSCRIBERS:
            kind = "subscribe" if frames[0][:1] == b"\x01" else "cancel"  # ZMTP 3.0's subscriptions
            self._keep(Said(at, by_client, kind, (frames[0][1:],)))
            return
        self._keep(Said(at, by_client, "message", frames))

    def _keep(self, said: Said) -> None:
        size = sum(map(len, said.frames))
        if len(self.said) >= self.limits.messages:
            self.stop(f"after {len(self.said):,} messages, the most kept of one connection")
        elif self.kept_bytes + size > self.limits.bytes:
            self.stop(f"after {self.kept_bytes:,} bytes of messages, the most kept of one connection")
        else:
            self.said.append(said)
            self.kept_bytes += size

    def stop(self, why: str) -> None:
        """Keep nothing more of this connection (it is still relayed)."""
        if self.stopped is None:
            self.stopped = why

    def unreadable(self) -> str | None:
        """Why this connection could not be read at all, or None: a side's greeting it could not read, or a
        mechanism other than NULL (which the client's greeting names)."""
        for side in (self.client, self.server):
            if side.unreadable and not side.ready:
                return side.unreadable
        return None

    def cut_short(self) -> str | None:
        """Why the recording of this connection ends before the connection did, or None."""
        if self.stopped is not None:
            return self.stopped
        for name, side in (("client", self.client), ("service", self.server)):
            if side.unreadable and side.ready:
                return f"the {name} sent {side.unreadable}"
        return None
