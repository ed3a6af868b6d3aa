"""Handshakes: knowing when a socket really has a peer, from ZeroMQ's socket monitor.

A connecting socket returns at once and connects later; a SUB socket that
is sent a message before its handshake (and subscription) reach the
publisher simply never sees it: the slow-joiner problem. Every socket of a
scenario is watched from birth, so a wait for a handshake also sees one
that happened before the wait began.
"""

from __future__ import annotations

import contextlib
import struct
import time

import zmq

WATCHED = zmq.EVENT_HANDSHAKE_SUCCEEDED | zmq.EVENT_DISCONNECTED
EVENT = struct.Struct("=HI")  # a monitor message's first frame: event number, value


class PeerWatch:
    """Counts the peers of one socket that completed a handshake and are still there."""

    def __init__(self, zmq_socket: zmq.Socket) -> None:
        self._socket = zmq_socket
        self._events = zmq_socket.get_monitor_socket(WATCHED)
        self.peers = 0
        self.handshakes = 0  # ever, in this socket's life

    def _take(self, frames: list[bytes]) -> None:
        event, _ = EVENT.unpack_from(frames[0])
        if event == zmq.EVENT_HANDSHAKE_SUCCEEDED:
            self.peers += 1
            self.handshakes += 1
        elif event == zmq.EVENT_DISCONNECTED:
            self.peers = max(self.peers - 1, 0)

    def _take_waiting(self) -> None:
        while self._events.poll(0):
            self._take(self._events.recv_multipart())

    def ever_connected(self) -> bool:
        """True if a peer has ever completed a handshake with the socket; never waits."""
        self._take_waiting()
        return self.handshakes > 0

    def wait_for_peer(self, timeout: float) -> bool:
        """True as soon as a peer has completed its handshake; False if none did within ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            self._take_waiting()
            if self.peers:
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self._events.poll(int(remaining * 1000) + 1):
                return bool(self.peers)

    def close(self) -> None:
        """Stop watching and close the monitor's own socket, without lingering."""
        with contextlib.suppress(zmq.ZMQError):  # the socket may be closed already
            self._socket.disable_monitor()
        self._events.close(linger=0)
