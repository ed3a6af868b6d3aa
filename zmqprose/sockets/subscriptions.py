"""The subscriptions a PUB socket's peers have sent: what an XPUB sees of its subscribers."""

from __future__ import annotations

import time
from collections.abc import Callable

import zmq

from zmqprose.sockets.monitor import LOOK_EVERY


class Subscriptions:
    """The prefixes a publisher's peers are subscribed to, read from its XPUB socket as they arrive."""

    def __init__(self, zmq_socket: zmq.Socket[bytes]) -> None:
        self._socket = zmq_socket
        self.prefixes: list[bytes] = []  # one entry per subscription (XPUB passes each prefix once)
        self.check: Callable[[], None] | None = None  # raises if an app the wait depends on has died

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
        """Wait up to ``timeout`` until :meth:`covers` ``topic``; True if it does. With a ``check``, the apps
        the wait depends on are looked at every :data:`~zmqprose.sockets.monitor.LOOK_EVERY` seconds (it
        raises if one has died)."""
        deadline = time.monotonic() + timeout
        while True:
            self._take_waiting()
            if self.covers(topic):
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            if self.check is not None:
                self.check()
                remaining = min(remaining, LOOK_EVERY)
            self._socket.poll(int(remaining * 1000) + 1, zmq.POLLIN)
