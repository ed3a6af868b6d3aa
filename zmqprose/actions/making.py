"""Making what a scenario's steps talk through: sockets bound or connected (secured with CURVE when asked)
and links in front of tcp endpoints. ``using_zmq()`` hands its ``bind``, ``connect``, ``stub`` and ``link``
here; it keeps sending, subscriptions and taking sockets down."""

from __future__ import annotations

import errno
import functools
import os
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import zmq

from zmqprose.errors import ProseError
from zmqprose.links.relay import Link
from zmqprose.security.curve import CurveRequest, new_pair, require_curve
from zmqprose.sockets.options import options_from, socket_type
from zmqprose.sockets.references import (
    AppEndpoint,
    Endpoint,
    EndpointOf,
    is_free_port,
    parse_endpoint,
    tcp_port_of,
)
from zmqprose.sockets.socket import EndpointLike, ProseSocket, close_all
from zmqprose.wire.frames import Frame, encode_frame

MAX_REBINDS = 100  # binds to a free port again, after one the system gave that a zmqprose run holds

if TYPE_CHECKING:
    from zmqprose.actionlog import ActionLog
    from zmqprose.apps.supervisor import AppSupervisor
    from zmqprose.links.table import LinkTable
    from zmqprose.security.curve import Allowances
    from zmqprose.sockets.table import Places, SocketTable


class SocketMaker:
    """Makes a scenario's sockets and links, each kept by the scenario from the moment it exists."""

    def __init__(self, *, apps: AppSupervisor, sockets: SocketTable, links: LinkTable, log: ActionLog,
                 places: Places, new_socket: Callable[[int, str, str | None, str], ProseSocket],
                 allowances: Allowances, check_waiting: Callable[[str | None], None]) -> None:
        """What making uses of the scenario, each handed by :class:`~zmqprose.prose.Prose`: the apps (their
        endpoints, keys, who plays which), the socket table and the links (kept there, and where a CURVE
        server's key is found), the action log, where references point, how a socket is made in the run's
        context, the CURVE allowances, and what every wait of a socket made here looks at (``check_waiting``,
        given the app the socket was made for: that its peers still live, to fail at once)."""
        self._apps, self._sockets, self._links, self._log = apps, sockets, links, log
        self._places, self._new_socket = places, new_socket
        self._allowances, self._check_waiting = allowances, check_waiting

    def make(self, how: str, endpoint: EndpointLike, type: str, name: str | None,
             options: Mapping[str, Any] | None, subscribe: Iterable[Frame],
             curve: CurveRequest | None = None) -> ProseSocket:
        """A new socket of ``type`` bound (``how="bind"``) or connected to ``endpoint``, kept by the scenario;
        its options set and its subscriptions made first, secured with CURVE if asked. If the bind or connect
        fails, the socket is closed and waited for, and the error says why and what to do."""
        ref = parse_endpoint(endpoint) if isinstance(endpoint, str) else endpoint
        kind = socket_type(type)
        if kind == zmq.PUB:
            kind = zmq.XPUB  # the same on the wire, and it sees its subscribers (has a subscriber …)
        settings = options_from(options)
        prefixes = [encode_frame(prefix) for prefix in subscribe]
        if prefixes and kind != zmq.SUB:
            raise ProseError(f"only a SUB socket subscribes; this one is a {type}")
        played = self._apps.playing(ref) if how == "bind" and isinstance(ref, AppEndpoint) else None
        address = played[1] if played else self._places.resolve(ref, how == "bind")
        label = f'"{name}"' if name else str(ref)
        sock = self._new_socket(kind, type, name, label)
        app = ref.app if isinstance(ref, AppEndpoint) else None
        sock.made_for(app, functools.partial(self._check_waiting, app))
        try:
            if curve is not None:
                self._secure(sock, how, ref, curve)
            set_options(sock, settings)
            for prefix in prefixes:
                sock.subscribe(prefix)
            self._sockets.add(sock)
            sock.attach(how, address)
            if how == "bind" and is_free_port(address):
                self._clear_of_reservations(sock, address)
        except ProseError:
            close_all([sock])  # not kept by the scenario yet: waited for here, not thrown away (see close_all)
            raise
        except zmq.ZMQError as error:
            close_all([sock])
            raise ProseError(attach_failure(how, type, address, ref, error)) from None
        if played and isinstance(ref, AppEndpoint):
            self._apps.play(ref.app, played[0], sock.addresses[-1])
        self._log.note("{} {}  {}  ({})", how, type, sock.where, sock.label)
        if self._log.keeps_events:
            self._log.event("socket", sock.label, how=how, type=type, address=sock.addresses[-1],
                                     app=sock.app or self._apps.app_at(address),
                                     port=" ".join(ref.words) if isinstance(ref, AppEndpoint) else "")
        return sock

    def _clear_of_reservations(self, sock: ProseSocket, address: str) -> None:
        """After a bind to a free port (``:*``, ``:0``): if a zmqprose run holds the port the system gave (another
        run's app starting or restarting on it, or this run's), bind ``address`` again and let that port go, until
        ZeroMQ takes one no run holds (at most :data:`MAX_REBINDS` times). The kernel knows nothing of the runs'
        reservations; the app that holds the port would fail to bind it. The new port is bound before the old
        is let go, so that the system cannot hand the same one back."""
        for tries in range(MAX_REBINDS + 1):
            real = sock.bound[address]
            port = tcp_port_of(real)
            if port is None or not self._apps.ports.held_by_a_run(port):
                return
            if tries == MAX_REBINDS:
                break
            sock.attach("bind", address)
            sock.detach("unbind", real)
        raise ProseError(f"cannot bind {sock.label} to a free port ({address}): the {MAX_REBINDS + 1} ports the "
                         f"system gave were held by zmqprose runs (this one's apps, or others' on this machine); "
                         f"end some runs, or bind to a port of your own")

    def _secure(self, sock: ProseSocket, how: str, ref: Endpoint, curve: CurveRequest) -> None:
        """Make a socket a CURVE server (bind) or client (connect), before it binds or connects."""
        require_curve()
        keys = self._apps.keys
        if how == "bind":
            pair = new_pair(owner=sock)  # masked while the socket lives
            allowed = None if curve.allowing is None else {keys.client(name).public_key for name in curve.allowing}
            sock.secure_as_server(pair.public_key, pair.secret_key, self._allowances.domain_for(allowed))
            return
        if curve.allowing is not None:
            raise ProseError("'allowing only' is for a socket that binds (a CURVE server), not one that connects")
        client = keys.client(curve.client)
        server_key = new_pair(owner=sock).public_key if curve.wrong_server_key else self._server_key(ref)
        sock.secure_as_client(server_key, client.public_key, client.secret_key)

    def _server_key(self, ref: Endpoint) -> str:
        """The public key of the CURVE server an endpoint leads to: its app's, or its named socket's."""
        if isinstance(ref, AppEndpoint):
            return self._apps.server_key(ref.app)
        if isinstance(ref, EndpointOf) and ref.name in self._links:
            return self._server_key_behind(self._links[ref.name].target, ref.name)
        if isinstance(ref, EndpointOf):
            server = self._sockets.named(ref.name)
            if server.curve_public is None:
                raise ProseError(f'"{ref.name}" is not a CURVE server: bind it \'with CURVE\' first')
            return server.curve_public
        raise ProseError(f"'with CURVE' on {ref} cannot know the server's key: connect to an app reference "
                         f"(its 'curve' setting) or to the endpoint of a socket bound 'with CURVE'")

    def _server_key_behind(self, target: str, link: str) -> str:
        """The public key of the CURVE server a link stands in front of: a socket of the spec, or an app."""
        for sock in self._sockets:
            if target in sock.bound.values() and sock.curve_public is not None:
                return sock.curve_public
        if app := self._apps.app_at(target):
            return self._apps.server_key(app)
        raise ProseError(f'the link "{link}" stands in front of {target}, which is neither a socket bound '
                         f"'with CURVE' in this scenario nor an app's port: 'with CURVE' cannot know the server's key")

    def link(self, endpoint: EndpointLike, name: str) -> Link:
        """A link of the scenario in front of a tcp endpoint (closed when the scenario ends): a relay on a free
        port of 127.0.0.1 that the spec cuts, stalls, delays and mends.

        Example: ``maker.link("ogre's command port", "flaky").cut_off()``
        """
        ref = parse_endpoint(endpoint) if isinstance(endpoint, str) else endpoint
        address = self._places.resolve(ref, False)
        port = tcp_port_of(address)
        if port is None:
            raise ProseError(f"a link relays TCP, and {ref} is {address}: there is no connection of "
                             f"{address.partition('://')[0]} for a relay to stand in; link a tcp endpoint")
        if name in self._links or any(sock.name == name for sock in self._sockets):
            raise ProseError(f'"{name}" names a link or a socket of this scenario already: pick another name')
        host = address[len("tcp://"):].rpartition(":")[0].strip("[]")
        link = self._links[name] = Link(name, "127.0.0.1" if host in ("*", "0.0.0.0") else host, port, self._log)
        self._log.note("link {}  {} -> {}", name, link.endpoint, link.target)
        self._log.event("link", name, f"link to {link.target}", endpoint=link.endpoint, target=link.target)
        return link


def set_options(sock: ProseSocket, options: list[tuple[int, int | bytes]]) -> None:
    """Set socket options before the bind or connect; a value ZeroMQ refuses is named with its option."""
    for option, value in options:
        try:
            if option in (zmq.SUBSCRIBE, zmq.UNSUBSCRIBE) and isinstance(value, bytes):
                sock.subscribe(value, on=option == zmq.SUBSCRIBE)  # kept: a timed-out receive tells of it
            else:
                sock.zmq.setsockopt(option, value)
        except zmq.ZMQError as error:
            name = zmq.SocketOption(option).name
            raise ProseError(f"socket option {name} cannot be {value!r} on a {sock.type_name} socket: "
                             f"{error.strerror}") from None


def attach_failure(how: str, type: str, address: str, ref: Endpoint, error: zmq.ZMQError) -> str:
    """Why a bind or connect failed, and what to do."""
    shown = address if str(ref) == f'"{address}"' else f"{address} ({ref})"
    message = f"cannot {how} a {type} socket to {shown}: {error.strerror}"
    if error.errno == zmq.EADDRINUSE:
        message += "; something else holds that address: stop it, or bind to another port (or to :* for a free one)"
    elif address.startswith("ipc://") and error.errno in (errno.ENOENT, errno.EACCES, errno.ENOTDIR):
        folder = os.path.dirname(address[len("ipc://"):]) or "."
        message += f"; the folder {folder} of the ipc path does not exist or cannot be written: make it first"
    elif error.errno in (zmq.EINVAL, zmq.EPROTONOSUPPORT, errno.ENOENT):
        message += '; write a ZeroMQ address such as "tcp://127.0.0.1:5555", "ipc:///tmp/x.sock" or "inproc://name"'
    return message

