"""``using_zmq()``: make sockets and send (Storyplayer's usingZmq module); the making itself is
:mod:`zmqprose.actions.making`'s."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import zmq

from zmqprose.actions.making import SocketMaker
from zmqprose.errors import ProseError, checked
from zmqprose.links.relay import Link
from zmqprose.pipelines.push import Pusher
from zmqprose.security.curve import CurveRequest
from zmqprose.sockets.options import socket_type
from zmqprose.sockets.references import parse_endpoint
from zmqprose.sockets.socket import GONE_WITHIN, EndpointLike, ProseSocket, SocketLike, close_all
from zmqprose.sockets.table import Places
from zmqprose.sockets.transfer import send_frames
from zmqprose.stubs.stub import Stub, stub_socket_type
from zmqprose.wire.format_registry import encode_value, in_format
from zmqprose.wire.format_registry import get as get_format
from zmqprose.wire.frames import Frame, encode_frame, encode_frames
from zmqprose.wire.json_text import parse_json_text

if TYPE_CHECKING:
    from zmqprose.actionlog import ActionLog
    from zmqprose.pipelines.pipeline import Pipeline
    from zmqprose.sockets.transfer import Listening


@checked
class UsingZmq:
    """Actions that change the world: bind, connect, send, close."""

    def __init__(self, *, maker: SocketMaker, places: Places, log: ActionLog,
                 listening: Listening, keep_stub: Callable[[Stub], None], pipeline: Pipeline) -> None:
        """What the actions use of their scenario, each handed by :class:`~zmqprose.prose.Prose`: the maker of its
        sockets and links (:class:`~zmqprose.actions.making.SocketMaker`), where references point, the action
        log, the default wait and what is known of a silent socket (``listening``), how a stub
        is kept, and the pipeline a push starts."""
        self._maker, self._places, self._log = maker, places, log
        self._listening, self._keep_stub, self._pipeline = listening, keep_stub, pipeline

    # -- making sockets ------------------------------------------------------

    def bind(self, endpoint: EndpointLike, type: str, name: str | None = None,
             options: Mapping[str, Any] | None = None,
             subscribe: Iterable[Frame] = (), curve: CurveRequest | None = None) -> ProseSocket:
        """A new socket of ``type`` bound to ``endpoint`` (``tcp://127.0.0.1:*`` takes a free port).

        With ``curve``, a CURVE server with a keypair of its own (``${socket.NAME.public_key}``),
        letting in only the clients ``curve.allowing`` names, if it names any.

        Example: ``inbox = prose.using_zmq().bind("tcp://127.0.0.1:*", "PULL", name="inbox")``
        """
        return self._maker.make("bind", endpoint, type, name, options, subscribe, curve)

    def connect(self, endpoint: EndpointLike, type: str, name: str | None = None,
                options: Mapping[str, Any] | None = None,
                subscribe: Iterable[Frame] = (), curve: CurveRequest | None = None) -> ProseSocket:
        """A new socket of ``type`` connected to ``endpoint``; options are set before it connects.

        With ``curve``, a CURVE client: the server key of the endpoint's app (or named socket),
        the client pair ``curve.client`` (or a wrong server key, to prove it is refused).

        Example: ``push = prose.using_zmq().connect("ogre's command port", "PUSH")``
        """
        return self._maker.make("connect", endpoint, type, name, options, subscribe, curve)

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
        sock = self._places.socket(socket)
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
        sock = self._places.socket(socket)
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
        send_frames(self._places.socket(socket), encode_frames(frames), None)

    def reply(self, socket: SocketLike, frames: Sequence[Frame], timeout: float | None = None) -> None:
        """Answer the peer of the last message a REP or ROUTER socket received.

        Example: ``prose.using_zmq().reply(router, ["PONG"])``
        """
        sock = self._places.socket(socket)
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
        sock = self._maker.make(how, endpoint, made_of, name, options, subscribe, curve)
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
        return self._maker.link(endpoint, name)

    # -- pipelines -------------------------------------------------------------

    def push(self, socket: SocketLike, count: int, size: int, pushers: int = 1) -> list[Pusher]:
        """Start pushing ``count`` numbered messages of ``size`` bytes in the background; returns at once.

        The socket belongs to the pusher until it has sent them all. With ``pushers`` K > 1, the
        count is split over K pushes, each from a socket of its own connected where ``socket`` is
        (the first is ``socket`` itself), so that the client is not what limits the pipeline.

        Example: ``prose.using_zmq().push(push, count=100_000, size=64, pushers=2)``
        """
        return self._pipeline.push(self._places.socket(socket), count, size, pushers)

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
        sock = self._places.socket(socket)
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
        sock = self._places.socket(ref, role="bind" if how == "unbind" else "connect")
        candidates = self._places.addresses(ref)
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
        sock = self._places.socket(socket)
        gone = close_all([sock], GONE_WITHIN)
        self._log.note("close {}", sock.describe())
        if not gone:
            self._log.note("ZeroMQ took more than {} s to be done with {}: its addresses may still be held",
                           GONE_WITHIN, sock.label)
        self._log.event("close", sock.label)
