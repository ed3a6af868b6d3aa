"""The sockets of a scenario, found again by name or by endpoint."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

from zmqprose.errors import ProseError, ResolveError
from zmqprose.sockets.references import Endpoint, EndpointOf, SocketName, SocketRef, parse_socket_ref, tcp_port_of
from zmqprose.sockets.socket import AddressesOf, ProseSocket, SocketLike, closed_hint, usable


class Places(Protocol):
    """Where a spec's words point in its scenario: which socket a reference names, which ZeroMQ address an
    endpoint stands for. The scenario answers (:class:`zmqprose.scenario.places.ScenarioPlaces`); actions and
    checks ask."""

    def socket(self, ref: SocketLike, role: str | None = None, lent: bool = False) -> ProseSocket:
        """The socket a reference names (``role``: only one that bound, or connected, there; ``lent``: one a
        background worker owns, too)."""
        ...

    def resolve(self, endpoint: Endpoint, for_bind: bool = False) -> str:
        """The ZeroMQ address an endpoint reference stands for (``for_bind``: as a socket binds it)."""
        ...

    def addresses(self, endpoint: Endpoint) -> set[str]:
        """Every address an endpoint may stand for: as a socket connects to it, and as one binds it."""
        ...


class SocketTable:
    """The sockets a scenario made, found by name or by endpoint."""

    def __init__(self) -> None:
        self._sockets: list[ProseSocket] = []
        self._closed: list[ProseSocket] = []  # so that a step that uses one hears that it is closed
        self._found: dict[object, ProseSocket] = {}

    def __iter__(self) -> Iterator[ProseSocket]:
        return iter(list(self._sockets))

    def all(self) -> list[ProseSocket]:
        """Every socket the scenario made, open or closed (by a step, or by ZeroMQ refusing its endpoint)."""
        return [*self._closed, *self._sockets]

    def changed(self, sock: ProseSocket) -> None:
        """A socket changed its endpoints, or closed (it says so itself): find sockets afresh."""
        self._found.clear()
        if sock.closed and sock in self._sockets:
            self._sockets.remove(sock)
            self._closed.append(sock)

    def add(self, sock: ProseSocket) -> None:
        """Keep a new socket (before it binds or connects); a name may be given to one socket only."""
        if sock.name is not None and any(s.name == sock.name for s in self._sockets):
            raise ProseError(f'a socket named "{sock.name}" exists already in this scenario: pick another name')
        self._sockets.append(sock)
        sock.keep_in(self)
        self._found.clear()

    def value(self, dotted: str) -> Any:
        """``${socket.NAME.endpoint}``: the address a named socket is bound (else connected) to;
        ``${socket.NAME.port}``: its tcp port; ``${socket.NAME.public_key}``: the public key of a CURVE server
        socket of the scenario."""
        name, _, what = dotted.rpartition(".")
        if what not in ("endpoint", "port", "public_key") or not name:
            raise ProseError(f"${{socket.{dotted}}}: write ${{socket.NAME.endpoint}}, ${{socket.NAME.port}} or "
                             f"${{socket.NAME.public_key}}")
        sock = self.named(name)
        if what == "public_key":
            if sock.curve_public is None:
                raise ProseError(f'"{name}" is not a CURVE server socket, so it has no public key: '
                                 f"bind it 'with CURVE'")
            return sock.curve_public
        addresses = list(sock.bound.values()) or sock.addresses
        if not addresses:
            raise ProseError(f'"{name}" is neither bound nor connected, so it has no endpoint')
        if what == "port":
            port = tcp_port_of(addresses[-1])
            if port is None:
                raise ProseError(f'"{name}" is at {addresses[-1]}, which has no tcp port: use '
                                 f"${{socket.{name}.endpoint}}")
            return port
        return addresses[-1]

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

    def find(self, ref: ProseSocket | SocketRef | str, addresses_of: AddressesOf, role: str | None = None,
             lent: bool = False) -> ProseSocket:
        """The socket a reference names: the socket itself, its name, or an endpoint it used.

        ``role`` ("bind" or "connect") looks only at sockets that used the
        endpoint that way, so that ``disconnect`` ignores the socket bound to it.
        ``lent`` finds a socket that a background worker (a stub) owns, too.
        """
        key = ref if role is None else (ref, role)
        sock = self._found.get(key)  # the same reference finds the same socket until one changes
        if sock is None:
            sock = self._lookup(ref, addresses_of, role)
            if "${" not in str(ref):  # an interpolated address may change with the checkpoint
                self._found[key] = sock
        if lent or (sock.lent_to is None and not sock.closed):
            return sock
        return usable(sock)

    def _lookup(self, ref: ProseSocket | SocketRef | str, addresses_of: AddressesOf, role: str | None) -> ProseSocket:
        if isinstance(ref, ProseSocket):
            return ref
        if isinstance(ref, str):
            ref = parse_socket_ref(ref)
        if isinstance(ref, SocketName | EndpointOf):
            return self.named(ref.name)
        return self._search(ref, addresses_of, role)

    def _search(self, ref: Endpoint, addresses_of: AddressesOf, role: str | None) -> ProseSocket:
        addresses = addresses_of(ref)
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
