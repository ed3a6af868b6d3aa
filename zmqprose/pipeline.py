"""Pipelines at full speed: a background pusher and a counting puller.

Every pushed message starts with a 12-byte header: the push's id (4 bytes)
and the message's sequence number (8 bytes), big-endian. The puller keeps
one bit per expected message, so that loss, duplicates and order are known
exactly while memory stays flat, however many messages pass.
"""

from __future__ import annotations

import os
import struct
import threading
import time
from dataclasses import dataclass, field

import zmq

from zmqprose.errors import ProseError, describe_error
from zmqprose.limits import MAX_MESSAGE_SIZE, check_count
from zmqprose.sockets import ProseSocket

HEADER = struct.Struct(">IQ")
STOP_CHECK_MS = 100


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
        self.finished_at: float | None = None
        self._stop = threading.Event()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"zmqprose push {sock.label}", daemon=True)

    def start(self) -> None:
        """Start pushing in the background; the socket is the pusher's until it finishes."""
        self.sock.lent_to = self
        self.started_at = time.monotonic()
        self._thread.start()

    def _run(self) -> None:
        try:
            self._push()
        except BaseException as error:  # reported by the next step that asks
            self.error = error
        finally:
            self.finished_at = time.monotonic()
            self._done.set()

    def _push(self) -> None:
        sock = self.sock.zmq
        send, poll, stopped = sock.send, sock.poll, self._stop.is_set
        message = bytearray(self.size)
        pack = HEADER.pack_into
        push_id = self.push_id
        for sequence in range(self.count):
            pack(message, 0, push_id, sequence)
            while True:
                try:
                    send(message, zmq.NOBLOCK)
                    break
                except zmq.Again:
                    if stopped():
                        self.sent = sequence
                        return
                    poll(STOP_CHECK_MS, zmq.POLLOUT)
        self.sent = self.count

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


@dataclass
class PullTally:
    """What a pull received: counts of unique, duplicated, out-of-order and foreign messages."""

    expected: int
    push_id: int | None
    seen: bytearray = field(init=False)
    received: int = 0
    unique: int = 0
    duplicates: int = 0
    out_of_order: int = 0
    foreign: int = 0
    first_out_of_order: int | None = None
    highest: int = -1
    started_at: float = 0.0
    last_at: float = 0.0

    def __post_init__(self) -> None:
        self.seen = bytearray((self.expected + 7) // 8)

    def missing(self) -> int:
        """How many of the expected messages did not arrive."""
        return self.expected - self.unique

    def first_missing(self) -> int | None:
        """The lowest sequence number that did not arrive, if any."""
        for index, byte in enumerate(self.seen):
            if byte != 0xFF:
                for bit in range(8):
                    sequence = index * 8 + bit
                    if sequence < self.expected and not byte & (1 << bit):
                        return sequence
        return None

    def summary(self) -> str:
        """One line a person reads: what arrived, and what was wrong with it."""
        parts = [f"{self.unique} of {self.expected} arrived"]
        if self.missing():
            parts.append(f"{self.missing()} missing (first: #{self.first_missing()})")
        if self.duplicates:
            parts.append(f"{self.duplicates} duplicated")
        if self.out_of_order:
            parts.append(f"{self.out_of_order} out of order (first at #{self.first_out_of_order})")
        if self.foreign:
            parts.append(f"{self.foreign} not from this push (ignored)")
        return ", ".join(parts)


def pull(sock: ProseSocket, count: int, timeout: float, push_id: int | None) -> PullTally:
    """Receive until ``count`` messages of the push ``push_id`` arrived or ``timeout`` ran out."""
    tally = PullTally(count, push_id)
    zsock = sock.zmq
    recv, poll, unpack = zsock.recv, zsock.poll, HEADER.unpack_from
    seen = tally.seen
    now = time.monotonic
    tally.started_at = began = now()
    deadline = began + timeout
    unique = received = duplicates = out_of_order = foreign = 0
    highest = -1
    while unique < count:
        try:
            message = recv(zmq.NOBLOCK)
        except zmq.Again:
            remaining = deadline - now()
            if remaining <= 0 or not poll(int(remaining * 1000) + 1, zmq.POLLIN):
                break
            continue
        received += 1
        if len(message) < 12:
            foreign += 1
            continue
        sender, sequence = unpack(message)
        if (push_id is not None and sender != push_id) or sequence >= count:
            foreign += 1
            continue
        byte, bit = sequence >> 3, 1 << (sequence & 7)
        if seen[byte] & bit:
            duplicates += 1
            continue
        seen[byte] |= bit
        unique += 1
        if sequence < highest:
            out_of_order += 1
            if tally.first_out_of_order is None:
                tally.first_out_of_order = sequence
        else:
            highest = sequence
    tally.last_at = now()
    tally.received, tally.unique, tally.duplicates = received, unique, duplicates
    tally.out_of_order, tally.foreign, tally.highest = out_of_order, foreign, highest
    sock.log.note("pull done <- {}  {}  in {:.3f} s", sock.where, tally.summary(), tally.last_at - began)
    return tally


class Pipeline:
    """A scenario's pipeline run: its pusher and the tally of its last pull."""

    def __init__(self) -> None:
        self.pusher: Pusher | None = None
        self.tally: PullTally | None = None

    def push_state(self) -> str:
        """How the push is going, for a failure message."""
        if self.pusher is None:
            return "; nothing was pushed in this scenario"
        if self.pusher.error is not None:
            return f"; the push failed: {describe_error(self.pusher.error)}"
        if not self.pusher.is_done():
            return f"; the push of {self.pusher.count} messages is still going"
        return f"; {self.pusher.sent} of {self.pusher.count} were pushed"

    def rate(self) -> tuple[float, float]:
        """Messages per second moved, and the seconds it took: from the push's start (or the pull's,
        if this scenario pushed nothing) to the end of the last pull."""
        if self.tally is None:
            raise ProseError("nothing was pulled in this scenario: write 'I pull N messages from SOCKET' first")
        began = self.pusher.started_at if self.pusher is not None else self.tally.started_at
        seconds = max(self.tally.last_at - began, 1e-9)
        return self.tally.unique / seconds, seconds

    def stop(self) -> None:
        """Stop a push that is still going (at the end of the scenario)."""
        if self.pusher is not None:
            self.pusher.stop()


class ExpectsPipeline:
    """Expectations about the scenario's push and pull: nothing lost, order kept, speed reached."""

    def __init__(self, pipeline: Pipeline, timeout: float) -> None:
        self._pipeline = pipeline
        self._timeout = timeout

    def _tally(self) -> PullTally:
        if self._pipeline.tally is None:
            raise ProseError("nothing was pulled in this scenario: write 'I pull N messages from SOCKET' first")
        return self._pipeline.tally

    def _finished_pusher(self) -> Pusher:
        pusher = self._pipeline.pusher
        if pusher is None:
            raise ProseError("nothing was pushed in this scenario: write 'I push N messages of S bytes to SOCKET'")
        if not pusher.wait(self._timeout):
            raise ProseError(f"the push of {pusher.count} messages has not finished within {self._timeout:g} s")
        if pusher.error is not None:
            raise ProseError(f"the push failed: {describe_error(pusher.error)}")
        return pusher

    def lost_nothing(self) -> None:
        """Every pushed message was pulled, none twice."""
        pusher, tally = self._finished_pusher(), self._tally()
        if tally.unique != pusher.sent or tally.duplicates:
            raise ProseError(f"messages were lost or duplicated: {pusher.sent} pushed; {tally.summary()}")

    def in_order(self) -> None:
        """The pulled messages came in the order they were pushed."""
        tally = self._tally()
        if tally.out_of_order:
            raise ProseError(f"the pulled messages were not in order: {tally.summary()}")

    def moved_at_least(self, rate: float) -> float:
        """From the push's start to the pull's end, at least ``rate`` messages per second; returns the rate."""
        self._finished_pusher()
        measured, seconds = self._pipeline.rate()
        if measured < rate:
            raise ProseError(
                f"the pipeline moved {measured:,.0f} messages per second, less than {rate:,.0f} "
                f"({self._tally().unique} in {seconds:.3f} s)"
            )
        return measured
