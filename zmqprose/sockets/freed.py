"""The addresses our sockets hold, and those they let go of lately: libzmq frees an unbound (or closed)
listener in a thread of its own, and tells nobody when it has.

Its monitor's CLOSED event would say so, but it also comes for every failed connect attempt, which would fill a
watch's queue and block that thread (:mod:`zmqprose.sockets.monitor`). So a bind that finds an address still in
use that one of our sockets let go of lately, and none of ours holds now, is tried again until libzmq has freed
it, for a bounded time; any other "Address already in use" fails at once.
"""

from __future__ import annotations

import errno
import threading
import time
from collections import Counter

import zmq

BIND_AGAIN_EVERY = 0.001  # seconds between the tries of a bind of an address let go of lately


def address_key(address: str) -> str | None:
    """What a bind of ``address`` may find in use: its port, for tcp (on any host), or its ipc path; None for a
    free port, and for ``inproc://`` (freed at once when unbound: :meth:`ProseSocket.close` unbinds first)."""
    if address.startswith("tcp://"):
        port = address.rpartition(":")[2]
        return None if port in ("*", "0") else f"tcp:{port}"
    return None if address.startswith("inproc://") else address


class FreedAddresses:
    """The tcp ports and ipc paths our sockets of this process are bound to now, and those they let go of lately
    (each with the time until which libzmq may still hold it)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._held: Counter[str] = Counter()
        self._freed: dict[str, float] = {}

    def held(self, address: str) -> None:
        """One of our sockets is bound to ``address`` (the real one: ``tcp://127.0.0.1:41233``)."""
        key = address_key(address)
        if key is not None:
            with self._lock:
                self._held[key] += 1

    def let_go(self, address: str, within: float) -> None:
        """One of our sockets unbound ``address``, or was closed while bound to it: libzmq frees it in its own
        thread, within about ``within`` seconds."""
        key = address_key(address)
        if key is None:
            return
        now = time.monotonic()
        with self._lock:
            self._held[key] -= 1
            if self._held[key] <= 0:
                del self._held[key]
            while self._freed:  # oldest first (each is put last): stop at the first that has not expired
                oldest = next(iter(self._freed))
                if self._freed[oldest] > now:
                    break
                del self._freed[oldest]
            self._freed.pop(key, None)
            self._freed[key] = now + within

    def bind(self, zmq_socket: zmq.Socket[bytes], address: str) -> None:
        """Bind ``address``; while it is in use only because one of our sockets let go of it lately (and none of
        ours holds it now), try again every :data:`BIND_AGAIN_EVERY` seconds until libzmq has freed it, for at
        most as long as :meth:`let_go` was told; then, or for any other refusal, raise ZeroMQ's error."""
        key = address_key(address)
        while True:
            try:
                zmq_socket.bind(address)
                return
            except zmq.ZMQError as error:
                if error.errno != errno.EADDRINUSE or not self._freed_lately(key):
                    raise
            time.sleep(BIND_AGAIN_EVERY)

    def _freed_lately(self, key: str | None) -> bool:
        if key is None:
            return False
        with self._lock:
            return key not in self._held and time.monotonic() < self._freed.get(key, 0.0)


FREED = FreedAddresses()  # one per process: ports and ipc paths are the process's (the machine's), not a context's
