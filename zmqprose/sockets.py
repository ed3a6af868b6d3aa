"""The sockets of a scenario: their types, their options, and how specs find them.

A :class:`ProseSocket` is a pyzmq socket plus what a spec knows about it:
the name it was given, the endpoints it was bound or connected to, and the
last message it received. The :class:`SocketTable` finds a socket again by
its name or by an endpoint.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from typing import Any

import zmq

from zmqprose.actionlog import ActionLog
from zmqprose.envelope import ENVELOPED, split_envelope
from zmqprose.errors import ProseError, ResolveError
from zmqprose.frames import encode_frame
from zmqprose.monitor import PeerWatch
from zmqprose.references import Endpoint, EndpointOf, SocketName, SocketRef, parse_socket_ref

SOCKET_TYPES: dict[str, int] = {
    "PUSH": zmq.PUSH, "PULL": zmq.PULL, "PUB": zmq.PUB, "SUB": zmq.SUB,
    "XPUB": zmq.XPUB, "XSUB": zmq.XSUB, "REQ": zmq.REQ, "REP": zmq.REP,
    "DEALER": zmq.DEALER, "ROUTER": zmq.ROUTER, "PAIR": zmq.PAIR,
    "XREQ": zmq.DEALER, "XREP": zmq.ROUTER,
}


def socket_type(name: str) -> int:
    """The ZeroMQ socket type for its name (``PUSH``, or the old ``XREQ``); errors list the valid ones."""
    try:
        return SOCKET_TYPES[name]
    except KeyError:
        raise ProseError(
            f"unknown socket type '{name}': use one of {' '.join(SOCKET_TYPES)}"
        ) from None


def socket_option(name: str, value: Any) -> tuple[int, int | bytes]:
    """A socket option by name, with its value converted to the option's type."""
    try:
        option = zmq.SocketOption[name.upper()]
    except KeyError:
        raise ProseError(
            f"unknown socket option '{name}': use a ZeroMQ option name such as "
            f"SNDHWM, RCVHWM, LINGER, ROUTING_ID, ROUTER_MANDATORY, CONFLATE, SUBSCRIBE"
        ) from None
    kind = option._opt_type.name
    if kind in ("int", "int64"):
        text = str(value).strip().lower()
        if text in ("true", "false"):
            return option, int(text == "true")
        try:
            number = int(text)
        except ValueError:
            raise ProseError(f"socket option {option.name} takes a whole number, not {value!r}") from None
        bits = 64 if kind == "int64" else 32
        if not -(2 ** (bits - 1)) <= number < 2 ** (bits - 1):
            raise ProseError(f"socket option {option.name} takes a whole number of {bits} bits, "
                             f"from {-(2 ** (bits - 1)):,} to {2 ** (bits - 1) - 1:,}; {value!r} is out of range")
        return option, number
    if kind == "bytes":
        return option, value if isinstance(value, bytes) else encode_frame(str(value))
    raise ProseError(f"socket option {option.name} cannot be set from a spec (it is a {kind} option)")


class ProseSocket:
    """A socket of one scenario, with what the spec said about it and what it received."""

    def __init__(self, zmq_socket: zmq.Socket, type_name: str, name: str | None, label: str,
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
        self.is_publisher = zmq_socket.type in (zmq.PUB, zmq.XPUB)
        self.has_envelope = zmq_socket.type in ENVELOPED  # its messages carry an envelope (zmqprose.envelope)
        self.lent_to: Any = None  # a background worker (a Pusher, a Stub) that owns the socket for now
        self.app: str | None = None  # the app whose endpoint it was made for, if it was
        self.check_peer: Callable[[], None] | None = None  # raises if that app has died; called during waits

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
        milliseconds = max(math.ceil(timeout * 1000), 1)
        if milliseconds != self._send_wait:
            self.zmq.sndtimeo = self._send_wait = milliseconds

    def wait_to_receive(self, timeout: float) -> None:
        """Let the next blocking receive wait up to ``timeout`` seconds (ZeroMQ's RCVTIMEO)."""
        milliseconds = max(math.ceil(timeout * 1000), 1)
        if milliseconds != self._receive_wait:
            self.zmq.rcvtimeo = self._receive_wait = milliseconds

    def describe(self) -> str:
        """How failures name it: ``ogre's response port (PULL, tcp://127.0.0.1:5556)``."""
        where = ", ".join(self.endpoints) or "not bound or connected"
        return f"{self.label} ({self.type_name}, {where})"


    def record(self, frames: list[bytes], peer: str | None = None) -> list[bytes]:
        """Keep a received message as this socket's last one; return the frames a spec expects.

        The envelope (a ROUTER's routing id, a REQ peer's delimiter) is kept
        apart for :meth:`reply`, by the one rule of :mod:`zmqprose.envelope`.
        """
        envelope, body = split_envelope(self.type_name, frames, peer) if self.has_envelope else ([], frames)
        self.last_message, self.last_envelope, self.last_at = body, envelope, time.monotonic()
        return body

    def knows(self, address: str, role: str | None = None) -> bool:
        """True if this socket was bound or connected to ``address`` (``role``: only "bind" or "connect")."""
        is_bound = address in self.bound or address in self.bound.values()
        is_connected = address in self.endpoints and address not in self.bound.values()
        if role == "bind":
            return is_bound
        if role == "connect":
            return is_connected
        return is_bound or is_connected


Resolver = Callable[[Endpoint, bool], str]


def usable(sock: ProseSocket) -> ProseSocket:
    """The socket, if this thread may use it now: not closed, not lent to a background worker."""
    if sock.closed:
        raise ProseError(f"{sock.describe()} is closed")
    if sock.lent_to is not None:
        if not sock.lent_to.is_done():
            raise ProseError(f"{sock.describe()} {sock.lent_to.why_busy()}")
        sock.lent_to = None
    return sock


class SocketTable:
    """The sockets a scenario made, found by name or by endpoint."""

    def __init__(self) -> None:
        self._sockets: list[ProseSocket] = []
        self._closed: list[ProseSocket] = []  # so that a step that uses one hears that it is closed
        self._found: dict[object, ProseSocket] = {}

    def __iter__(self):
        return iter(list(self._sockets))

    def changed(self) -> None:
        """A socket came, went, or changed its endpoints: find sockets afresh."""
        self._found.clear()

    def add(self, sock: ProseSocket) -> None:
        """Keep a new socket; a name may be given to one socket only."""
        if sock.name is not None and any(s.name == sock.name for s in self._sockets):
            raise ProseError(f'a socket named "{sock.name}" exists already in this scenario: pick another name')
        self._sockets.append(sock)
        self.changed()

    def remove(self, sock: ProseSocket) -> None:
        """Forget a closed socket."""
        if sock in self._sockets:
            self._sockets.remove(sock)
            self._closed.append(sock)
        self.changed()

    def named(self, name: str) -> ProseSocket:
        """The socket made with ``as "name"``."""
        for sock in self._sockets:
            if sock.name == name:
                return sock
        for sock in self._closed:
            if sock.name == name:
                raise ResolveError(f'"{name}" was closed by an earlier step: {closed_hint(sock)}')
        raise ResolveError(
            f'no socket named "{name}" in this scenario: make one first, e.g. '
            f'\'I connect a PULL socket to ENDPOINT as "{name}"\'; {self._listing()}'
        )

    def find(self, ref: ProseSocket | SocketRef | str, resolve: Resolver, role: str | None = None,
             lent: bool = False) -> ProseSocket:
        """The socket a reference names: the socket itself, its name, or an endpoint it used.

        ``role`` ("bind" or "connect") looks only at sockets that used the
        endpoint that way, so that ``disconnect`` ignores the socket bound to it.
        ``lent`` finds a socket that a background worker (a stub) owns, too.
        """
        key = ref if role is None else (ref, role)
        sock = self._found.get(key)  # the same reference finds the same socket until one changes
        if sock is None:
            sock = self._lookup(ref, resolve, role)
            if "${" not in str(ref):  # an interpolated address may change with the checkpoint
                self._found[key] = sock
        if lent or (sock.lent_to is None and not sock.closed):
            return sock
        return usable(sock)

    def _lookup(self, ref: ProseSocket | SocketRef | str, resolve: Resolver, role: str | None) -> ProseSocket:
        if isinstance(ref, ProseSocket):
            return ref
        if isinstance(ref, str):
            ref = parse_socket_ref(ref)
        if isinstance(ref, SocketName | EndpointOf):
            return self.named(ref.name)
        return self._search(ref, resolve, role)

    def _search(self, ref: Endpoint, resolve: Resolver, role: str | None) -> ProseSocket:
        addresses = {resolve(ref, False), resolve(ref, True)}  # as a socket connects to it, and as one binds it
        found = [s for s in self._sockets if any(s.knows(a, role) for a in addresses)]
        if len(found) == 1:
            return found[0]
        closed = [s for s in self._closed if any(s.knows(a, role) for a in addresses)]
        if not found and closed:
            raise ResolveError(f"the socket for {ref} was closed by an earlier step: {closed_hint(closed[-1])}")
        if not found:
            raise ResolveError(
                f"no socket for {ref} in this scenario: make one first with "
                f"'I connect a TYPE socket to {ref}' or 'I bind a TYPE socket to {ref}'; "
                f"{self._listing()}"
            )
        raise ResolveError(
            f"{len(found)} sockets use {ref} ({', '.join(s.describe() for s in found)}): "
            f'make them with as "NAME" and name the one you mean'
        )

    def _listing(self) -> str:
        if not self._sockets:
            return "this scenario has no sockets yet"
        return "sockets of this scenario: " + "; ".join(s.describe() for s in self._sockets)


def closed_hint(sock: ProseSocket) -> str:
    """What to do about a socket that was closed."""
    how = "bind" if sock.bound else "connect"
    return f"{how} a new {sock.type_name} socket first if the scenario needs one again"


def options_from(table: Mapping[str, Any] | None) -> list[tuple[int, int | bytes]]:
    """Socket options by name, converted (see :func:`socket_option`)."""
    return [socket_option(name, value) for name, value in (table or {}).items()]
