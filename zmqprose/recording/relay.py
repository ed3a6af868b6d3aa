"""The recorder's relay: it listens, passes every connection on to the target unchanged, and reads as it passes.

One thread, one ``selectors`` loop, no asyncio: a chunk read from one side
is written to the other at once (what cannot be written yet waits, in order).
Relaying comes first: what passed is read for the recording
(:class:`~zmqprose.recording.conversation.Connection`) once the relay has had
nothing to relay for :data:`QUIET` (or holds more than :data:`UNREAD_LIMIT` of
it, or stops), each chunk with the time it was relayed; so what a relay adds
to a round trip is a read and a write, not the decoding. (A bare
``selectors`` relay measured +73 µs a round trip here, an asyncio one +117 µs:
``bench/README.md``.)

Bounded like a link (:mod:`zmqprose.links.relay`): a side stops reading while
more than :data:`HELD_LIMIT` bytes wait to be written to the other side (the
sender's kernel and ZeroMQ queue the rest); at most :data:`MAX_OPEN`
connections are relayed at once (a connection past them is closed at once,
and counted); what is kept of each is bounded by
:class:`~zmqprose.recording.conversation.Limits`, and connections past
``Limits.connections`` are relayed without being read.

A connection through the relay is closed, both ends, once either end has
gone and what it sent has been written to the other (ZeroMQ does not
half-close). :meth:`Relay.stop` (from another thread, or a signal handler)
ends :meth:`Relay.run` at its next turn.
"""

from __future__ import annotations

import contextlib
import errno
import os
import selectors
import socket
import time
from collections.abc import Callable

from zmqprose.recording.conversation import Connection, Limits

HELD_LIMIT = 1 << 20  # bytes waiting to be written to one side before the other side stops being read
UNREAD_LIMIT = 1 << 20  # bytes relayed and not yet read for the recording: past them, they are read at once
QUIET = 0.002  # seconds with nothing to relay, after which what was relayed is read for the recording
CHUNK = 256 * 1024  # bytes read at once
MAX_OPEN = 256  # connections relayed at once


class End:
    """One end of a relayed connection: its socket, and what waits to be written to it."""

    def __init__(self, sock: socket.socket, pair: Pair, by_client: bool) -> None:
        self.sock, self.pair, self.by_client = sock, pair, by_client  # by_client: what is read here the client sent
        self.waiting = bytearray()
        self.reading = True
        self.writing = False
        self.eof = False  # its peer has gone: nothing more is read here
        self.other: End

    def events(self) -> int:
        return (selectors.EVENT_READ if self.reading and not self.eof else 0) | \
            (selectors.EVENT_WRITE if self.writing else 0)


class Pair:
    """A client's connection and the relay's connection to the target for it, read as a :class:`Connection`."""

    def __init__(self, client: socket.socket, target: socket.socket, opened: float) -> None:
        self.client = End(client, self, True)
        self.target = End(target, self, False)
        self.client.other, self.target.other = self.target, self.client
        self.opened = opened
        self.recording: Connection | None = None  # made once the target is reached (if one more may be recorded)
        self.connected = False  # the target has accepted the relay's connection
        self.closed = False


class Relay:
    """Listens on ``listen`` (host, port; port 0: a free one), relays each connection to ``target``, and records
    (see the module). ``clock``: seconds, the same clock as ``began``."""

    def __init__(self, listen: tuple[str, int], target: tuple[str, int], limits: Limits | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.target, self.limits, self.clock = target, limits or Limits(), clock
        self.connections: list[Connection] = []  # those recorded, in the order they were made
        self.not_recorded = 0  # connections relayed past Limits.connections
        self.refused = 0  # connections closed at once: MAX_OPEN were open
        self.unreached: str | None = None  # why the target could not be reached, the last time it could not
        self.unreached_count = 0  # connections closed because the target could not be reached (not recorded)
        self.began = clock()
        self._selector = selectors.DefaultSelector()
        family = socket.AF_INET6 if ":" in listen[0] else socket.AF_INET
        self._server = socket.create_server(listen, family=family, backlog=128)
        self._server.setblocking(False)
        self.address: tuple[str, int] = self._server.getsockname()[:2]
        self._selector.register(self._server, selectors.EVENT_READ, None)
        self._wake_reader, self._wake_writer = socket.socketpair()
        self._wake_reader.setblocking(False)
        self._wake_writer.setblocking(False)
        self._selector.register(self._wake_reader, selectors.EVENT_READ, "wake")
        self._pairs: set[Pair] = set()
        self._stopping = False
        self._unread: list[tuple[Connection, bool, bytes, float]] = []  # relayed, not yet read: oldest first
        self._unread_bytes = 0

    @property
    def endpoint(self) -> str:
        """Where clients connect to be recorded."""
        return f"tcp://{self.address[0]}:{self.address[1]}"

    def stop(self) -> None:
        """End :meth:`run` soon: safe from another thread and from a signal handler."""
        self._stopping = True
        with contextlib.suppress(OSError):  # already woken (its buffer is full), or closed
            self._wake_writer.send(b"x")

    def holding(self) -> int:
        """Bytes read and not yet written on, over every connection both ways: at most about
        :data:`HELD_LIMIT` plus a :data:`CHUNK` a side, however slowly a peer reads (what waits to be read for
        the recording is apart: at most :data:`UNREAD_LIMIT` and a chunk)."""
        return sum(len(pair.client.waiting) + len(pair.target.waiting) for pair in list(self._pairs))

    def run(self, until: float | None = None) -> None:
        """Relay and record until :meth:`stop`, or until the clock reads ``until``; then close everything."""
        try:
            while not self._stopping:
                timeout = None if until is None else until - self.clock()
                if timeout is not None and timeout <= 0:
                    break
                if self._unread:
                    timeout = QUIET if timeout is None else min(timeout, QUIET)
                ready = self._selector.select(timeout)
                for key, mask in ready:
                    self._ready(key, mask)
                if (not ready and self._unread) or self._unread_bytes > UNREAD_LIMIT:
                    self._read_unread()
        finally:
            self._read_unread()
            self.close()

    def _read_unread(self) -> None:
        """Read for the recording what was relayed (relaying comes first: see the module)."""
        unread, self._unread, self._unread_bytes = self._unread, [], 0
        for connection, by_client, data, at in unread:
            if connection.reading:
                connection.heard(by_client, data, at)

    def close(self) -> None:
        """Stop listening and close every connection; what each connection said so far stays recorded."""
        now = self.clock() - self.began
        for pair in list(self._pairs):
            self._close(pair, now)
        for sock in (self._server, self._wake_reader, self._wake_writer):
            with contextlib.suppress(KeyError, ValueError):
                self._selector.unregister(sock)
            sock.close()
        self._selector.close()

    # -- the loop ------------------------------------------------------------------

    def _ready(self, key: selectors.SelectorKey, mask: int) -> None:
        end = key.data
        if end is None:
            self._accept()
        elif end == "wake":
            with contextlib.suppress(OSError):
                self._wake_reader.recv(64)
        else:
            assert isinstance(end, End)
            if mask & selectors.EVENT_WRITE:
                self._writable(end)
            if mask & selectors.EVENT_READ and not end.pair.closed:
                self._read(end)

    def _accept(self) -> None:
        try:
            client, _ = self._server.accept()
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            return  # out of descriptors, say: the peer sees its connection closed and tries again
        if len(self._pairs) >= MAX_OPEN:
            self.refused += 1
            client.close()
            return
        client.setblocking(False)
        client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        target = socket.socket(socket.AF_INET6 if ":" in self.target[0] else socket.AF_INET, socket.SOCK_STREAM)
        target.setblocking(False)
        target.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        now = self.clock() - self.began
        pair = Pair(client, target, now)
        self._pairs.add(pair)
        code = target.connect_ex(self.target)
        if code not in (0, errno.EINPROGRESS):
            self._unreached(pair, code, now)
            return
        pair.target.writing = True  # writable once connected
        pair.client.reading = False  # nothing is read from the client until the target is there
        self._selector.register(target, selectors.EVENT_WRITE, pair.target)

    def _unreached(self, pair: Pair, code: int, now: float) -> None:
        self.unreached = f"tcp://{self.target[0]}:{self.target[1]} could not be reached ({os.strerror(code)})"
        self.unreached_count += 1
        self._close(pair, now)

    def _record(self, pair: Pair) -> None:
        """The target is reached: the connection is recorded, if one more may be."""
        if len(self.connections) < self.limits.connections:
            pair.recording = Connection(len(self.connections) + 1, pair.opened, self.limits)
            self.connections.append(pair.recording)
        else:
            self.not_recorded += 1

    def _writable(self, end: End) -> None:
        pair = end.pair
        if not pair.connected and end is pair.target:
            code = end.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if code:
                self._unreached(pair, code, self.clock() - self.began)
                return
            pair.connected = True
            self._record(pair)
            pair.client.reading = True
            self._update(pair.client)
        self._flush(end)

    def _flush(self, end: End) -> None:
        """Write what waits for ``end``; once it is little enough, let the other side be read again."""
        if end.waiting:
            try:
                sent = end.sock.send(end.waiting)
            except (BlockingIOError, InterruptedError):
                sent = 0
            except OSError:
                self._close(end.pair, self.clock() - self.began)
                return
            del end.waiting[:sent]
        end.writing = bool(end.waiting)
        self._update(end)
        other = end.other
        if not other.reading and len(end.waiting) <= HELD_LIMIT // 2 and end.pair.connected:
            other.reading = True
            self._update(other)
        if other.eof and not end.waiting:
            self._close(end.pair, self.clock() - self.began)

    def _read(self, end: End) -> None:
        try:
            data = end.sock.recv(CHUNK)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:  # reset, or gone some other way: the connection ends, as on a network that breaks
            data = b""
        pair, other = end.pair, end.other
        now = self.clock() - self.began
        if not data:
            end.eof = True
            self._update(end)
            if not other.waiting:
                self._close(pair, now)
            return
        if other.waiting:
            other.waiting += data
        else:
            try:
                sent = other.sock.send(data)  # straight on: what a recording costs a round trip is mostly here
            except (BlockingIOError, InterruptedError):
                sent = 0
            except OSError:
                self._close(pair, now)
                return
            if sent < len(data):
                other.waiting += data[sent:]
        if other.waiting and not other.writing:
            other.writing = True
            self._update(other)
        if len(other.waiting) > HELD_LIMIT:
            end.reading = False
            self._update(end)
        recording = pair.recording
        if recording is not None and recording.reading:
            self._unread.append((recording, end.by_client, data, now))
            self._unread_bytes += len(data)

    def _update(self, end: End) -> None:
        if end.pair.closed:
            return
        events = end.events()
        try:
            if events:
                self._selector.modify(end.sock, events, end)
            else:
                self._selector.unregister(end.sock)
        except KeyError:
            if events:
                self._selector.register(end.sock, events, end)
        except ValueError:
            pass  # closed meanwhile

    def _close(self, pair: Pair, now: float) -> None:
        if pair.closed:
            return
        pair.closed = True
        self._pairs.discard(pair)
        for end in (pair.client, pair.target):
            with contextlib.suppress(KeyError, ValueError):
                self._selector.unregister(end.sock)
            end.sock.close()
        if pair.recording is not None and pair.recording.closed is None:
            pair.recording.closed = now
