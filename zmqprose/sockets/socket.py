"""A :class:`ProseSocket`: a pyzmq socket plus what a spec knows about it.

The name it was given, the endpoints it was bound or connected to, the
app it was made for, and the last message it received."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import zmq

from zmqprose.actionlog import ActionLog
from zmqprose.errors import ProseError
from zmqprose.sockets.monitor import PeerWatch
from zmqprose.sockets.references import Endpoint
from zmqprose.sockets.subscriptions import Subscriptions
from zmqprose.wire.envelope import ENVELOPED, split_envelope

SIGNATURES_KEPT = 1 << 16  # as many as jupyter_client's own digest history


class ProseSocket:
    """A socket of one scenario, with what the spec said about it and what it received."""

    def __init__(self, zmq_socket: zmq.Socket[bytes], type_name: str, name: str | None, label: str,
                 log: ActionLog | None = None) -> None:
        self.zmq = zmq_socket
        self.log = log or ActionLog()
        self.type_name = type_name
        self.name = name
        self.label = label
        self.endpoints: list[str] = []
        self.bound: dict[str, str] = {}
        self.where = label  # the endpoints, for the action log: ``tcp://127.0.0.1:5555``
        self.last_message: list[bytes] | None = None
        self.last_envelope: list[bytes] = []
        self.last_at: float | None = None
        self.closed = False
        self.watch = PeerWatch(zmq_socket)
        self._send_wait = self._receive_wait = -1
        self._send_seconds = self._receive_seconds = -1.0
        self.is_publisher = zmq_socket.type in (zmq.PUB, zmq.XPUB)
        self.subscriptions = Subscriptions(zmq_socket)  # what its subscribers sent (an XPUB's only)
        self.has_envelope = zmq_socket.type in ENVELOPED  # its messages carry an envelope (zmqprose.envelope)
        self.lent_to: Any = None  # a background worker (a Pusher, a Stub) that owns the socket for now
        self.app: str | None = None  # the app whose endpoint it was made for, if it was
        self.curve_public: str | None = None  # its public key, if it is a CURVE server
        self.check_peer: Callable[[], None] | None = None  # raises if that app has died; called during waits
        self._signatures: dict[bytes, None] = {}  # signatures of signed messages received (the latest, in order)

    def add_endpoint(self, address: str, bound_as: str | None = None) -> None:
        """Note an address the socket connected to, or (``bound_as``: the address as written) was bound to."""
        self.endpoints.append(address)
        if bound_as is not None:
            self.bound[bound_as] = address
        self.where = ", ".join(self.endpoints)

    def remove_endpoint(self, address: str) -> None:
        """Forget an address the socket was disconnected or unbound from."""
        self.endpoints.remove(address)
        self.bound = {written: real for written, real in self.bound.items() if real != address}
        self.where = ", ".join(self.endpoints) or self.label

    def wait_to_send(self, timeout: float) -> None:
        """Let the next blocking send wait up to ``timeout`` seconds (ZeroMQ's SNDTIMEO)."""
        if timeout != self._send_seconds:  # the usual wait is the same slice as the last one
            self._send_seconds = timeout
            milliseconds = max(math.ceil(timeout * 1000), 1)
            if milliseconds != self._send_wait:
                self.zmq.sndtimeo = self._send_wait = milliseconds

    def wait_to_receive(self, timeout: float) -> None:
        """Let the next blocking receive wait up to ``timeout`` seconds (ZeroMQ's RCVTIMEO)."""
        if timeout != self._receive_seconds:
            self._receive_seconds = timeout
            milliseconds = max(math.ceil(timeout * 1000), 1)
            if milliseconds != self._receive_wait:
                self.zmq.rcvtimeo = self._receive_wait = milliseconds

    def describe(self) -> str:
        """How failures name it: ``ogre's response port (PULL, tcp://127.0.0.1:5556)``."""
        where = ", ".join(self.endpoints) or "not bound or connected"
        return f"{self.label} ({self.type_name}, {where})"


    def record(self, frames: list[bytes], peer: str | None, at: float) -> list[bytes]:
        """Keep a received message (it arrived ``at``, monotonic) as this socket's last one; return
        the frames a spec expects.

        The envelope (a ROUTER's routing id, a REQ peer's delimiter) is kept
        apart for :meth:`reply`, by the one rule of :mod:`zmqprose.envelope`.
        """
        if self.has_envelope:  # else it has none, and its last_envelope stays []
            self.last_envelope, frames = split_envelope(self.type_name, frames, peer)
        self.last_message, self.last_at = frames, at
        return frames

    def refuse_replay(self, signature: bytes | None, where: str) -> None:
        """Refuse a signed message whose signature this socket has received before (a replay); the last
        :data:`SIGNATURES_KEPT` signatures are remembered."""
        if signature is None:
            return
        if signature in self._signatures:
            shown = signature[:16].decode(errors="replace")
            raise ProseError(f"{where} is a replay: a message with the same signature ({shown}…) "
                             f"arrived on this socket before")
        self._signatures[signature] = None
        if len(self._signatures) > SIGNATURES_KEPT:
            del self._signatures[next(iter(self._signatures))]

    def knows(self, address: str, role: str | None = None) -> bool:
        """True if this socket was bound or connected to ``address`` (``role``: only "bind" or "connect")."""
        is_bound = address in self.bound or address in self.bound.values()
        is_connected = address in self.endpoints and address not in self.bound.values()
        if role == "bind":
            return is_bound
        if role == "connect":
            return is_connected
        return is_bound or is_connected


AddressesOf = Callable[[Endpoint], set[str]]  # every address an endpoint may stand for (bound or connected)


def usable(sock: ProseSocket) -> ProseSocket:
    """The socket, if this thread may use it now: not closed, not lent to a background worker."""
    if sock.closed:
        raise ProseError(f"{sock.describe()} is closed")
    if sock.lent_to is not None:
        if not sock.lent_to.is_done():
            raise ProseError(f"{sock.describe()} {sock.lent_to.why_busy()}")
        sock.lent_to = None
    return sock


def closed_hint(sock: ProseSocket) -> str:
    """What to do about a socket that was closed."""
    how = "bind" if sock.bound else "connect"
    return f"{how} a new {sock.type_name} socket first if the scenario needs one again"
