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
from zmqprose.limits import MAX_MESSAGE_SIZE, check_count
from zmqprose.sockets.socket import ProseSocket

HEADER = struct.Struct(">IQ")


STOP_CHECK_MS = 100  # a send waits at most this long before the stop flag is looked at
BATCH = 4096  # messages built and sent at once, at the most


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
            self._done.set()

    def _push(self) -> None:
        """Send in batches: a block of messages built at once (numpy fills the sequence column),
        each sent from C by ``map``; a send that waits too long lets the stop flag be looked at."""
        import numpy

        sock, size = self.sock, self.size
        batch = min(self.count, BATCH)
        block = bytearray(batch * size)
        rows = numpy.frombuffer(block, dtype=numpy.uint8).reshape(batch, size)
        rows[:, :4] = numpy.frombuffer(self.push_id.to_bytes(4, "big"), dtype=numpy.uint8)
        messages = [memoryview(block)[i * size:(i + 1) * size] for i in range(batch)]
        send = send_now.__get__(sock.zmq)
        sock.wait_to_send(STOP_CHECK_MS / 1000)
        for first in range(0, self.count, batch):
            count = min(batch, self.count - first)
            rows[:count, 4:12] = numpy.arange(first, first + count, dtype=">u8").view(numpy.uint8).reshape(count, 8)
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
        return f"is busy pushing {self.count} messages in the background: use another socket, or pull them first"

    def is_done(self) -> bool:
        """True once the pusher has sent everything, stopped or failed."""
        return self._done.is_set()

    def wait(self, timeout: float) -> bool:
        """Wait up to ``timeout`` for the pusher to finish; True if it did."""
        return self._done.wait(timeout)

    def stop(self) -> None:
        """Stop pushing (within a tenth of a second) and give the socket back."""
        self._stop.set()
        self._thread.join(timeout=2)
