"""``using_zmq()``: make sockets and send (Storyplayer's usingZmq module)."""

from __future__ import annotations

import errno
import functools
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import zmq

from zmqprose.errors import ProseError, checked
from zmqprose.links.relay import Link
from zmqprose.pipelines.push import Pusher
from zmqprose.security.curve import CurveRequest, new_pair, require_curve
from zmqprose.sockets.options import options_from, socket_type
from zmqprose.sockets.references import AppEndpoint, Endpoint, EndpointOf, parse_endpoint, tcp_port_of
from zmqprose.sockets.socket import GONE_WITHIN, EndpointLike, ProseSocket, SocketLike, close_all
from zmqprose.sockets.transfer import send_frames
from zmqprose.stubs.stub import Stub, stub_socket_type
from zmqprose.wire.format_registry import encode_value, in_format
from zmqprose.wire.format_registry import get as get_format
from zmqprose.wire.frames import Frame, encode_frame, encode_frames
from zmqprose.wire.json_text import parse_json_text

if TYPE_CHECKING:
    from zmqprose.actionlog import ActionLog
    from zmqprose.apps.supervisor import AppSupervisor
    from zmqprose.links.table import LinkTable
    from zmqprose.pipelines.pipeline import Pipeline
    from zmqprose.security.curve import Allowances
    from zmqprose.sockets.table import SocketTable
    from zmqprose.sockets.transfer import Listening


@checked
class UsingZmq:
    """Actions that change the world: bind, connect, send, close."""

    def __init__(self, *, apps: AppSupervisor, sockets: SocketTable, links: LinkTable, log: ActionLog,
                 listening: Listening, find: Callable[[SocketLike], ProseSocket],
                 resolve: Callable[[Endpoint, bool], str], addresses: Callable[[Endpoint], set[str]],
                 new_socket: Callable[[int, str, str | None, str], ProseSocket], keep_stub: Callable[[Stub], None],
                 pipeline: Pipeline, allowances: Allowances, check_background: Callable[[], None]) -> None:
        """What the actions use of their scenario, each handed by :class:`~zmqprose.prose.Prose`: the apps, the
        socket table and the links; the action log and the default wait (``listening``); how a reference finds a
        socket, what address an endpoint stands for (``resolve``, for a bind or not) and every address it may
        (``addresses``); how a socket is made, a stub kept, a push started; the CURVE allowances; and the check
        that the scenario's commands in the background still run."""
        self._apps, self._sockets, self._links, self._log = apps, sockets, links, log
        self._listening, self._find, self._resolve, self._addresses = listening, find, resolve, addresses
        self._new_socket, self._keep_stub, self._pipeline = new_socket, keep_stub, pipeline
        self._allowances, self._check_background = allowances, check_background

    # -- making sockets ------------------------------------------------------

    def bind(self, endpoint: EndpointLike, type: str, name: str | None = None,
             options: Mapping[str, Any] | None = None,
             subscribe: Iterable[Frame] = (), curve: CurveRequest | None = None) -> ProseSocket:
        """A new socket of ``type`` bound to ``endpoint`` (``tcp://127.0.0.1:*`` takes a free port).

        With ``curve``, a CURVE server with a keypair of its own (``${socket.NAME.public_key}``),
        letting in only the clients ``curve.allowing`` names, if it names any.

        Example: ``inbox = prose.using_zmq().bind("tcp://127.0.0.1:*", "PULL", name="inbox")``
        """
        return self._attach("bind", endpoint, type, name, options, subscribe, curve)

    def connect(self, endpoint: EndpointLike, type: str, name: str | None = None,
                options: Mapping[str, Any] | None = None,
                subscribe: Iterable[Frame] = (), curve: CurveRequest | None = None) -> ProseSocket:
        """A new socket of ``type`` connected to ``endpoint``; options are set before it connects.

        With ``curve``, a CURVE client: the server key of the endpoint's app (or named socket),
        the client pair ``curve.client`` (or a wrong server key, to prove it is refused).

        Example: ``push = prose.using_zmq().connect("ogre's command port", "PUSH")``
        """
        return self._attach("connect", endpoint, type, name, options, subscribe, curve)

    def _attach(self, how: str, endpoint: EndpointLike, type: str, name: str | None,
                options: Mapping[str, Any] | None, subscribe: Iterable[Frame],
                curve: CurveRequest | None = None) -> ProseSocket:
        ref = parse_endpoint(endpoint) if isinstance(endpoint, str) else endpoint
        kind = socket_type(type)
        if kind == zmq.PUB:
            kind = zmq.XPUB  # the same on the wire, and it sees its subscribers (has a subscriber …)
        settings = options_from(options)
        prefixes = [encode_frame(prefix) for prefix in subscribe]
        if prefixes and kind != zmq.SUB:
            raise ProseError(f"only a SUB socket subscribes; this one is a {type}")
        played = self._apps.playing(ref) if how == "bind" and isinstance(ref, AppEndpoint) else None
        address = played[1] if played else self._resolve(ref, how == "bind")
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

    def _check_waiting(self, app: str | None) -> None:
        """What a wait on a socket of the scenario looks at, to fail at once instead of at its end: the app
        whose endpoint the socket was made for (if it was), every app the scenario started or found running,
        and the commands it started in the background (see ``check_scenario_apps``, ``check_background``)."""
        if app is not None:
            self._apps.check_alive(app)
        self._apps.check_scenario_apps()
        self._check_background()

    def _secure(self, sock: ProseSocket, how: str, ref: Endpoint, curve: CurveRequest) -> None:
        """Make a socket a CURVE server (bind) or client (connect), before it binds or connects."""
        require_curve()
        keys = self._apps.keys
        if how == "bind":
            pair = new_pair()
            allowed = None if curve.allowing is None else {keys.client(name).public_key for name in curve.allowing}
            sock.secure_as_server(pair.public_key, pair.secret_key, self._allowances.domain_for(allowed))
            return
        if curve.allowing is not None:
            raise ProseError("'allowing only' is for a socket that binds (a CURVE server), not one that connects")
        client = keys.client(curve.client)
        server_key = new_pair().public_key if curve.wrong_server_key else self._server_key(ref)
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

    # -- sending -------------------------------------------------------------

    def send(self, socket: SocketLike, frame: Frame, timeout: float | None = None) -> None:
        """Send a one-frame message, waiting up to ``timeout`` (default: the environment's) to queue it.

        Example: ``prose.using_zmq().send(push, "PING", timeout=2)``
        """
        self.send_multi(socket, [frame], timeout)

    def send_multi(self, socket: SocketLike, frames: Sequence[Frame], timeout: float | None = None) -> None:
        """Send a multipart message, waiting up to ``timeout`` to queue it.

        Example: ``prose.using_zmq().send_multi(push, ["PING", "42"])``
        """
        sock = self._find(socket)
        send_frames(sock, encode_frames(frames), self._listening.wait(timeout))

    def send_json(self, socket: SocketLike, message: Any, timeout: float | None = None) -> None:
        """Send one frame of JSON: a value, or JSON text (checked, so a typo fails before it is sent).

        Example: ``prose.using_zmq().send_json(push, {"command": "status"})``
        """
        value = parse_json_text(message, "the JSON message to send") if isinstance(message, str) else message
        self.send_value(socket, value, "JSON", timeout=timeout)

    def send_value(self, socket: SocketLike, value: Any, format: str = "JSON",
                   envelope: Sequence[Frame] | None = None, timeout: float | None = None) -> None:
        """Send ``value`` written in ``format`` (JSON, msgpack, Jupyter, a registered one), after ``envelope``.

        Example: ``prose.using_zmq().send_value(rpc, [{"v": 3}, "add", [1, 2]], "msgpack", envelope=[""])``
        """
        sock = self._find(socket)
        fmt = get_format(format)
        context = self._listening.format_context(sock)
        before = encode_frames(envelope or [])
        frames = before + encode_value(fmt, value, context)
        sock.speak_in(in_format(fmt, context))  # from now on, what it sends and receives reads in this format
        send_frames(sock, frames, self._listening.wait(timeout), envelope=len(before))

    def send_non_blocking(self, socket: SocketLike, frame: Frame) -> None:
        """Send a one-frame message now, or fail at once if ZeroMQ would block.

        Example: ``prose.using_zmq().send_non_blocking(push, "PING")``
        """
        self.send_multi_non_blocking(socket, [frame])

    def send_multi_non_blocking(self, socket: SocketLike, frames: Sequence[Frame]) -> None:
        """Send a multipart message now, or fail at once if ZeroMQ would block.

        Example: ``prose.using_zmq().send_multi_non_blocking(push, ["PING", "42"])``
        """
        send_frames(self._find(socket), encode_frames(frames), None)

    def reply(self, socket: SocketLike, frames: Sequence[Frame], timeout: float | None = None) -> None:
        """Answer the peer of the last message a REP or ROUTER socket received.

        Example: ``prose.using_zmq().reply(router, ["PONG"])``
        """
        sock = self._find(socket)
        if sock.type_name not in ("REP", "ROUTER", "XREP"):
            raise ProseError(f"only a REP or ROUTER socket replies; {sock.describe()} is a {sock.type_name}")
        if sock.last_message is None:
            raise ProseError(f"{sock.describe()} has received nothing to reply to yet")
        send_frames(sock, sock.last_envelope + encode_frames(frames), self._listening.wait(timeout),
                    envelope=len(sock.last_envelope))

    # -- stubs -----------------------------------------------------------------

    def stub(self, endpoint: EndpointLike, type: str, how: str = "bind", name: str | None = None,
             options: Mapping[str, Any] | None = None, curve: CurveRequest | None = None) -> Stub:
        """A stub socket of ``type`` bound (or, with ``how="connect"``, connected) to ``endpoint``.

        It receives in its own thread from now until the scenario ends,
        answers by the rules given to it, and remembers what it received.

        Example: ``prose.using_zmq().stub("tcp://127.0.0.1:*", "REP", name="worker").answers("OK")``
        """
        socket_type(type)  # an unknown type fails here, listing the valid ones
        made_of = stub_socket_type(type)
        if how not in ("bind", "connect"):
            raise ProseError(f"a stub is bound or connected, not {how!r}")
        subscribe = [""] if type == "SUB" else []  # a SUB stub hears everything
        sock = self._attach(how, endpoint, made_of, name, options, subscribe, curve)
        stub = Stub.start_on(sock, type, self._log, self._listening.format_context(sock))
        self._log.event("stub", sock.label, type=type)
        self._keep_stub(stub)
        return stub

    # -- links -----------------------------------------------------------------

    def link(self, endpoint: EndpointLike, name: str) -> Link:
        """A link of the scenario in front of a tcp endpoint (closed when the scenario ends): a relay on a free
        port of 127.0.0.1 that the spec cuts, stalls, delays and mends.

        Example: ``prose.using_zmq().link("ogre's command port", "flaky").cut_off()``
        """
        ref = parse_endpoint(endpoint) if isinstance(endpoint, str) else endpoint
        address = self._resolve(ref, False)
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

    # -- pipelines -------------------------------------------------------------

    def push(self, socket: SocketLike, count: int, size: int, pushers: int = 1) -> list[Pusher]:
        """Start pushing ``count`` numbered messages of ``size`` bytes in the background; returns at once.

        The socket belongs to the pusher until it has sent them all. With ``pushers`` K > 1, the
        count is split over K pushes, each from a socket of its own connected where ``socket`` is
        (the first is ``socket`` itself), so that the client is not what limits the pipeline.

        Example: ``prose.using_zmq().push(push, count=100_000, size=64, pushers=2)``
        """
        return self._pipeline.push(self._find(socket), count, size, pushers)

    # -- subscriptions -------------------------------------------------------

    def subscribe(self, socket: SocketLike, prefix: Frame) -> None:
        """Receive messages that start with ``prefix`` ("" is everything) on a SUB socket.

        Example: ``prose.using_zmq().subscribe(events, "alerts.")``
        """
        self._set_subscription(socket, prefix, zmq.SUBSCRIBE, "subscribe")

    def unsubscribe(self, socket: SocketLike, prefix: Frame) -> None:
        """Stop receiving messages that start with ``prefix``.

        Example: ``prose.using_zmq().unsubscribe(events, "alerts.")``
        """
        self._set_subscription(socket, prefix, zmq.UNSUBSCRIBE, "unsubscribe")

    def _set_subscription(self, socket: SocketLike, prefix: Frame, option: int, verb: str) -> None:
        sock = self._find(socket)
        if sock.zmq.type != zmq.SUB:
            raise ProseError(f"only a SUB socket can {verb}; {sock.describe()} is a {sock.type_name}")
        sock.subscribe(encode_frame(prefix), on=option == zmq.SUBSCRIBE)
        self._log.note("{} {}  {!r}", verb, sock.describe(), prefix)

    # -- taking sockets down -------------------------------------------------

    def unbind(self, endpoint: EndpointLike) -> None:
        """Stop listening on an endpoint that a socket of this scenario is bound to.

        Example: ``prose.using_zmq().unbind('the endpoint of "inbox"')``
        """
        self._detach("unbind", endpoint)

    def disconnect(self, endpoint: EndpointLike) -> None:
        """Drop the connection a socket of this scenario made to an endpoint.

        Example: ``prose.using_zmq().disconnect("ogre's command port")``
        """
        self._detach("disconnect", endpoint)

    def _detach(self, how: str, endpoint: EndpointLike) -> None:
        ref = parse_endpoint(endpoint) if isinstance(endpoint, str) else endpoint
        sock = self._sockets.find(ref, self._addresses, role="bind" if how == "unbind" else "connect")
        candidates = self._addresses(ref)
        address = next(a for a in [*sock.bound, *sock.addresses] if a in candidates)
        real = sock.bound.get(address, address)
        try:
            sock.detach(how, real)
        except zmq.ZMQError as error:
            raise ProseError(f"cannot {how} {sock.describe()} from {real}: {error.strerror}") from None
        self._log.note("{} {}  {}  ({})", how, sock.type_name, real, sock.label)

    def close(self, socket: SocketLike) -> None:
        """Close a socket now, without lingering; it is forgotten by the scenario.

        ZeroMQ closes it in a thread of its own: the close waits (up to ``GONE_WITHIN`` seconds, as the end of
        a scenario does) until ZeroMQ is done with it, its connections closed and its addresses free for the
        next step to bind; the action log says so if ZeroMQ took longer.

        Example: ``prose.using_zmq().close("inbox")``
        """
        sock = self._find(socket)
        gone = close_all([sock], GONE_WITHIN)
        self._log.note("close {}", sock.describe())
        if not gone:
            self._log.note("ZeroMQ took more than {} s to be done with {}: its addresses may still be held",
                           GONE_WITHIN, sock.label)
        self._log.event("close", sock.label)


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

