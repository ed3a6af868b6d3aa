"""The background pusher: numbered messages, built and sent in batches, from a thread of its own.

Every pushed message starts with a 12-byte header: the push's id (4 bytes)
and the message's sequence number (8 bytes), big-endian. The puller keeps
one bit per expected message, so that loss, duplicates and order are known
exactly while memory stays flat, however many messages pass."""

from __future__ import annotations

import os
import struct
import threading
import time

import zmq

from zmqprose.compat import send_now
from zmqprose.errors import ProseError
from zmqprose.limits import MAX_MESSAGE_SIZE, check_count, counted
from zmqprose.sockets.socket import ProseSocket, close_all

HEADER = struct.Struct(">IQ")


STOP_CHECK_MS = 100  # a send waits at most this long before the stop flag is looked at
STOP_WAIT = 2.0  # seconds the end of a scenario waits for a pusher; one still pushing closes its own socket
BATCH = 4096  # messages built and sent at once, at the most


class NumberedMessages:
    """Numbered messages of one push, a batch at a time: one block of memory, each message a view of it that
    starts with the header (the push's id, then its sequence number). The id is written once; numbering a
    batch writes its sequence numbers at once (numpy), so building costs nothing next to sending."""

    def __init__(self, push_id: int, size: int, batch: int) -> None:
        import numpy

        self.batch = batch
        self._block = bytearray(batch * size)
        self._rows = numpy.frombuffer(self._block, dtype=numpy.uint8).reshape(batch, size)
        self._rows[:, :4] = numpy.frombuffer(push_id.to_bytes(4, "big"), dtype=numpy.uint8)
        self._messages = [memoryview(self._block)[i * size:(i + 1) * size] for i in range(batch)]

    def numbered(self, first: int, count: int) -> list[memoryview]:
        """The first ``count`` messages of the block (at most a batch), numbered ``first`` … ``first + count - 1``:
        views of the block, good until the next call."""
        import numpy

        self._rows[:count, 4:12] = numpy.arange(first, first + count, dtype=">u8").view(numpy.uint8).reshape(count, 8)
        return self._messages[:count]


class Pusher:
    """Pushes ``count`` messages of ``size`` bytes from its own thread, on a socket lent to it."""

    def __init__(self, sock: ProseSocket, count: int, size: int) -> None:
        if size < HEADER.size:
            raise ProseError(
                f"pushed messages carry a {HEADER.size}-byte header (push id and sequence number): "
                f"make them at least {HEADER.size} bytes, not {size}"
            )
        check_count(size, "the size of a pushed message (in bytes)", MAX_MESSAGE_SIZE, least=HEADER.size)
        check_count(count, "the number of messages to push")
        self.sock = sock
        self.count = count
        self.size = size
        self.push_id = int.from_bytes(os.urandom(4), "big")
        self.sent = 0
        self.error: BaseException | None = None
        self.started_at = 0.0
        self._stop = threading.Event()
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._closes_own_socket = False  # set when its scenario ended before it did: the socket is its to close
        self._thread = threading.Thread(target=self._run, name=f"zmqprose push {sock.label}", daemon=True)

    def start(self) -> None:
        """Start pushing in the background; the socket is the pusher's until it finishes."""
        self.sock.lend(self)
        self.started_at = time.monotonic()
        self._thread.start()

    def _run(self) -> None:
        try:
            self._push()
        except BaseException as error:  # reported by the next step that asks
            self.error = error
        finally:
            with self._lock:
                self._done.set()
                close = self._closes_own_socket
            if close:
                close_all([self.sock])

    def _push(self) -> None:
        """Send in batches: a block of messages numbered at once (:class:`NumberedMessages`), each sent from C
        by ``map``; a send that waits too long lets the stop flag be looked at."""
        sock = self.sock
        numbered = NumberedMessages(self.push_id, self.size, min(self.count, BATCH))
        send = send_now.__get__(sock.zmq)
        sock.wait_to_send(STOP_CHECK_MS / 1000)
        for first in range(0, self.count, numbered.batch):
            count = min(numbered.batch, self.count - first)
            messages = numbered.numbered(first, count)
            done = 0
            while done < count:
                sent: list[None] = []
                try:
                    sent.extend(map(send, messages[done:count]))
                except zmq.Again:
                    if self._stop.is_set():
                        self.sent = first + done + len(sent)
                        return
                done += len(sent)
            self.sent = first + count

    def why_busy(self) -> str:
        """Why a step may not use the pusher's socket now."""
        return (f"is busy pushing {counted(self.count, 'message')} in the background: use another socket, or pull "
                f"them first")

    def is_done(self) -> bool:
        """True once the pusher has sent everything, stopped or failed, and its socket is the scenario's again (not
        if the scenario ended first: then the pusher closes the socket itself as it ends)."""
        with self._lock:
            return self._done.is_set() and not self._closes_own_socket

    def wait(self, timeout: float) -> bool:
        """Wait up to ``timeout`` for the pusher to finish; True if it did."""
        return self._done.wait(timeout)

    def stop(self) -> None:
        """Stop pushing (within a tenth of a second, once a send waits) and give the socket back. A pusher still
        pushing after :data:`STOP_WAIT` seconds (a pipeline that keeps taking its messages) keeps the socket and
        closes it itself as it ends: a socket is used and closed by one thread at a time, never under it."""
        self._stop.set()
        self._thread.join(timeout=STOP_WAIT)
        with self._lock:
            if self._thread.ident is not None and not self._done.is_set():
                self._closes_own_socket = True
