"""The subscriptions a PUB socket's peers have sent: what an XPUB sees of its subscribers."""

from __future__ import annotations

import time

import zmq


class Subscriptions:
    """The prefixes a publisher's peers are subscribed to, read from its XPUB socket as they arrive."""

    def __init__(self, zmq_socket: zmq.Socket[bytes]) -> None:
        self._socket = zmq_socket
        self.prefixes: list[bytes] = []  # one entry per subscription (XPUB passes each prefix once)

    def _take_waiting(self) -> None:
        while self._socket.poll(0, zmq.POLLIN):
            message = self._socket.recv()
            if message[:1] == b"\x01":
                self.prefixes.append(message[1:])
            elif message[:1] == b"\x00" and message[1:] in self.prefixes:
                self.prefixes.remove(message[1:])

    def covers(self, topic: bytes | None) -> bool:
        """True if some subscriber would receive ``topic`` (None: if there is any subscriber at all)."""
        if topic is None:
            return bool(self.prefixes)
        return any(topic.startswith(prefix) for prefix in self.prefixes)

    def wait_for(self, topic: bytes | None, timeout: float) -> bool:
        """Wait up to ``timeout`` until :meth:`covers` ``topic``; True if it does."""
        deadline = time.monotonic() + timeout
        while True:
            self._take_waiting()
            if self.covers(topic):
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self._socket.poll(int(remaining * 1000) + 1, zmq.POLLIN):
                self._take_waiting()
                return self.covers(topic)
