"""Ogre's sample client: pumps numbered messages into a pipeline, as a hand-written test client would.

``python -m ogre.pump ADDRESS COUNT [SIZE]`` connects a PUSH socket to
ADDRESS and sends COUNT messages of SIZE bytes (default 100), each starting
with the 12-byte header zmqprose's pull counts (a 4-byte id, an 8-byte
sequence number, big-endian); then it prints ``sent COUNT messages`` and
exits. A spec starts it in the background and pulls what it sent.
"""

from __future__ import annotations

import os
import struct
import sys

import zmq

HEADER = struct.Struct(">IQ")


def main(argv: list[str] | None = None) -> None:
    """Pump the messages, wait until ZeroMQ has passed them on, and say how many."""
    address, count, *rest = argv if argv is not None else sys.argv[1:]
    size = int(rest[0]) if rest else 100
    context = zmq.Context()
    push = context.socket(zmq.PUSH)
    push.linger = 10_000  # messages still queued at the end are delivered (for up to 10 s)
    push.connect(address)
    pump_id = int.from_bytes(os.urandom(4), "big")
    message = bytearray(max(size, HEADER.size))
    for sequence in range(int(count)):
        HEADER.pack_into(message, 0, pump_id, sequence)
        push.send(message)
    push.close()
    context.term()  # waits (up to the linger) until every queued message has gone
    print(f"sent {count} messages", flush=True)


if __name__ == "__main__":
    main()
