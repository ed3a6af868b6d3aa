"""The counting puller: one bit per expected message, so loss, duplicates and order are known exactly."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import zmq

from zmqprose.pipelines.push import HEADER
from zmqprose.sockets.socket import ProseSocket


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
    tally.out_of_order, tally.foreign = out_of_order, foreign
    sock.log.note("pull done <- {}  {}  in {:.3f} s", sock.where, tally.summary(), tally.last_at - began)
    return tally
