"""The counting puller: one bit per expected message, so loss, duplicates and order are known exactly.

Messages are taken in batches: ZeroMQ copies each message's 12-byte header
into a slot of one preallocated block (``recv_into``, called from C by
``map``), and the batch is checked with numpy at once. The usual batch (one
push, sequence numbers exactly the next ones) sets one range of bits; any
other (several pushes, a gap, a duplicate, a stranger) is checked message
by message. A batch never holds more messages than are still missing, so a
pull stops as soon as it has all it expects and leaves the rest queued.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import zmq

from zmqprose.pipelines.push import HEADER
from zmqprose.sockets.socket import ProseSocket

BATCH = 4096  # messages taken at once, at the most
SLICE = 0.25  # seconds one blocking receive waits before the deadline and the app are looked at again


@dataclass
class PushTally:
    """What arrived of one push: one bit per sequence number, and what was wrong."""

    push_id: int
    expected: int
    seen: Any = field(init=False)  # numpy uint8 array, one bit per message
    unique: int = 0
    duplicates: int = 0
    out_of_order: int = 0
    first_out_of_order: int | None = None
    next_sequence: int = 0  # one past the highest sequence number seen

    def __post_init__(self) -> None:
        import numpy

        self.seen = numpy.zeros((self.expected + 7) // 8, dtype=numpy.uint8)

    def take_range(self, first: int, count: int) -> None:
        """Sequence numbers ``first`` … ``first + count - 1``, in order, none seen before: set their bits."""
        set_bits(self.seen, first, first + count)
        self.unique += count
        self.next_sequence = first + count

    def take_one(self, sequence: int) -> None:
        """One sequence number, whatever it is: counted as new, duplicated, or out of order."""
        byte, bit = sequence >> 3, 1 << (sequence & 7)
        if self.seen[byte] & bit:
            self.duplicates += 1
            return
        self.seen[byte] |= bit
        self.unique += 1
        if sequence < self.next_sequence:
            self.out_of_order += 1
            if self.first_out_of_order is None:
                self.first_out_of_order = sequence
        else:
            self.next_sequence = sequence + 1

    def first_missing(self) -> int | None:
        """The lowest sequence number that did not arrive, if any."""
        import numpy

        bits = numpy.unpackbits(self.seen, bitorder="little")[: self.expected]
        missing = numpy.flatnonzero(bits == 0)
        return int(missing[0]) if missing.size else None


def set_bits(bits: Any, start: int, stop: int) -> None:
    """Set bits ``start`` … ``stop - 1`` of a little-endian bitmap (numpy uint8)."""
    while start < stop and start & 7:
        bits[start >> 3] |= 1 << (start & 7)
        start += 1
    whole_stop = stop & ~7
    if start < whole_stop:
        bits[start >> 3: whole_stop >> 3] = 0xFF
        start = whole_stop
    while start < stop:
        bits[start >> 3] |= 1 << (start & 7)
        start += 1


@dataclass
class PullTally:
    """What a pull received, push by push: unique, duplicated, out-of-order and foreign messages."""

    expected: int
    push_ids: dict[int, int] | None  # push id -> its count; None: whatever pushes come (an outside pump)
    pushes: dict[int, PushTally] = field(default_factory=dict)
    received: int = 0
    foreign: int = 0
    started_at: float = 0.0
    last_at: float = 0.0

    def push(self, push_id: int) -> PushTally | None:
        """The tally of a push this pull counts; None for a stranger."""
        tally = self.pushes.get(push_id)
        if tally is None:
            if self.push_ids is None:
                tally = PushTally(push_id, self.expected)
            elif push_id in self.push_ids:
                tally = PushTally(push_id, self.push_ids[push_id])
            else:
                return None
            self.pushes[push_id] = tally
        return tally

    @property
    def unique(self) -> int:
        return sum(tally.unique for tally in self.pushes.values())

    @property
    def duplicates(self) -> int:
        return sum(tally.duplicates for tally in self.pushes.values())

    @property
    def out_of_order(self) -> int:
        return sum(tally.out_of_order for tally in self.pushes.values())

    @property
    def first_out_of_order(self) -> int | None:
        return next((t.first_out_of_order for t in self.pushes.values() if t.first_out_of_order is not None), None)

    def missing(self) -> int:
        """How many of the expected messages did not arrive."""
        return self.expected - self.unique

    def first_missing(self) -> int | None:
        """The lowest sequence number that did not arrive, of the first push that misses any."""
        if self.push_ids is not None:
            for push_id, count in self.push_ids.items():
                tally = self.pushes.get(push_id)
                if tally is None and count:
                    return 0
                if tally is not None and (first := tally.first_missing()) is not None:
                    return first
            return None
        if not self.pushes:
            return 0
        return min((first for t in self.pushes.values() if (first := t.first_missing()) is not None), default=None)

    def summary(self) -> str:
        """One line a person reads: what arrived, and what was wrong with it."""
        parts = [f"{self.unique} of {self.expected} arrived"]
        if self.push_ids is not None and len(self.push_ids) > 1:
            parts[0] += f" from {len(self.push_ids)} pushers"
        if self.missing() > 0:
            parts.append(f"{self.missing()} missing (first: #{self.first_missing()})")
        if self.duplicates:
            parts.append(f"{self.duplicates} duplicated")
        if self.out_of_order:
            parts.append(f"{self.out_of_order} out of order (first at #{self.first_out_of_order})")
        if self.foreign:
            parts.append(f"{self.foreign} not from this push (ignored)")
        return ", ".join(parts)

    def take(self, headers: Any, sizes: list[int]) -> None:
        """Count one batch: the headers (numpy records: id, seq) and each message's size."""
        import numpy

        self.received += len(sizes)
        whole = numpy.asarray(sizes) >= HEADER.size
        if not whole.all():
            self.foreign += int((~whole).sum())
            headers = headers[whole]
        ids, sequences = headers["id"], headers["seq"]
        if len(ids) and (ids == ids[0]).all():
            self._take_one_push(int(ids[0]), sequences)
            return
        for push_id in numpy.unique(ids):
            self._take_one_push(int(push_id), sequences[ids == push_id])

    def _take_one_push(self, push_id: int, sequences: Any) -> None:
        tally = self.push(push_id)
        if tally is None:
            self.foreign += len(sequences)
            return
        first = tally.next_sequence
        count = len(sequences)
        if count and int(sequences[0]) == first and first + count <= tally.expected \
                and int(sequences[-1]) == first + count - 1 and (sequences[1:] - sequences[:-1] == 1).all():
            tally.take_range(first, count)  # the usual case: exactly the next ones, in order
            return
        for sequence in sequences.tolist():
            if sequence >= tally.expected:
                self.foreign += 1
            else:
                tally.take_one(sequence)


def pull(sock: ProseSocket, count: int, timeout: float, push_ids: dict[int, int] | None) -> PullTally:
    """Receive until ``count`` messages of the pushes ``push_ids`` arrived or ``timeout`` ran out."""
    import numpy

    tally = PullTally(count, push_ids)
    zsock = sock.zmq
    block = bytearray(BATCH * HEADER.size)
    slots = [memoryview(block)[i * HEADER.size:(i + 1) * HEADER.size] for i in range(BATCH)]
    records = numpy.frombuffer(block, dtype=numpy.dtype([("id", ">u4"), ("seq", ">u8")]))
    receive_into = zsock.recv_into
    now = time.monotonic
    tally.started_at = began = now()
    deadline = began + timeout
    while (wanted := count - tally.unique) > 0:
        remaining = deadline - now()
        if remaining <= 0:
            break
        sock.wait_to_receive(min(remaining, SLICE))
        sizes: list[int] = []
        try:
            sizes.extend(map(receive_into, slots[:min(wanted, BATCH)]))
        except zmq.Again:
            if sock.check_peer is not None:
                sock.check_peer()
        if sizes:
            tally.take(records[:len(sizes)], sizes)
    tally.last_at = now()
    sock.log.note("pull done <- {}  {}  in {:.3f} s", sock.where, tally.summary(), tally.last_at - began)
    return tally
