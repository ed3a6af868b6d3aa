"""A :class:`ProseSocket`: a pyzmq socket plus what a spec knows about it, and its life.

The name it was given, the endpoints it was bound or connected to, the
app it was made for, and the last message it received. It is made, bound
or connected, secured, lent to a background worker, unbound or
disconnected and closed here, and nowhere else: whoever keeps it (the
scenario's :class:`~zmqprose.sockets.table.SocketTable`) hears of each
change from the socket itself.
"""

from __future__ import annotations

import contextlib
import math
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Final, Protocol

import zmq

from zmqprose.actionlog import ActionLog
from zmqprose.errors import ProseError
from zmqprose.sockets.freed import FREED
from zmqprose.sockets.monitor import PeerWatch
from zmqprose.sockets.references import Endpoint, SocketRef
from zmqprose.sockets.subscriptions import Subscriptions
from zmqprose.wire.envelope import ENVELOPED, split_envelope
from zmqprose.wire.format import ShownInFormat

SIGNATURES_KEPT = 1 << 16  # as many as jupyter_client's own digest history
GONE_WITHIN = 1.0  # seconds the end of a scenario waits for ZeroMQ to be done with its closed sockets
INPROC = "inproc://"


class Worker(Protocol):
    """A background worker that owns a socket for a while (a pusher, a stub)."""

    def is_done(self) -> bool: ...

    def why_busy(self) -> str: ...


class Keeper(Protocol):
    """Whoever keeps sockets and finds them again (a scenario's socket table): told of every change."""

    def changed(self, sock: ProseSocket) -> None: ...


class ProseSocket:
    """A socket of one scenario, with what the spec said about it and what it received.

    Its state is its own, as a pyzmq socket's is: it changes only through its methods (:meth:`attach`,
    :meth:`detach`, :meth:`close`, :meth:`record`, :meth:`subscribe`, :meth:`lend`, :meth:`made_for`,
    :meth:`secure_as_server`, :meth:`show_as`, :meth:`speak_in`, :meth:`keep_in`), and others read it through
    read-only properties that hand out copies or immutable views (``addresses`` a tuple, ``bound`` a read-only
    mapping, ``last_message`` a fresh list), so that nothing outside can change it behind its back (and its
    keeper, who is told of every change, never misses one).

    What it is from the moment it is made and never changes stays a plain attribute, :data:`~typing.Final`
    (mypy refuses to rebind it): ``zmq`` (the pyzmq socket), ``log``, ``name``, ``label``, ``watch`` and
    ``subscriptions`` (objects that keep their own state behind their own methods), ``is_publisher`` and
    ``has_envelope``. They are read on every send and receive, where a property would cost a call each time
    for nothing: nothing can change them.
    """

    def __init__(self, zmq_socket: zmq.Socket[bytes], type_name: str, name: str | None, label: str,
                 log: ActionLog | None = None) -> None:
        self.zmq: Final = zmq_socket
        self.log: Final = log or ActionLog()
        self.name: Final = name
        self.label: Final = label
        self.watch: Final = PeerWatch(zmq_socket)
        self.is_publisher: Final = zmq_socket.type in (zmq.PUB, zmq.XPUB)
        self.subscriptions: Final = Subscriptions(zmq_socket)  # what its subscribers sent (an XPUB's only)
        self.has_envelope: Final = zmq_socket.type in ENVELOPED  # its messages carry one (zmqprose.wire.envelope)
        self._type_name = type_name
        self._addresses: tuple[str, ...] = ()  # the ZeroMQ addresses it is bound or connected to (real ports for :*)
        self._bound: dict[str, str] = {}  # the address a bind was asked for -> the one ZeroMQ bound
        self._bound_view = MappingProxyType(self._bound)
        self._where = label  # the endpoints, for the action log: ``tcp://127.0.0.1:5555``
        self._last_message: list[bytes] | None = None
        self._last_envelope: list[bytes] = []
        self._last_at: float | None = None
        self._closed = False
        self._send_wait = self._receive_wait = -1
        self._send_seconds = self._receive_seconds = -1.0
        self._lent_to: Worker | None = None  # a background worker (a Pusher, a Stub) that owns the socket for now
        self._keeper: Keeper | None = None  # told when the socket's addresses change or it closes
        self._app: str | None = None  # the app whose endpoint it was made for, if it was
        self._curve_public: str | None = None  # its public key, if it is a CURVE server
        self._check_peer: Callable[[], None] | None = None  # raises if that app has died; called during waits
        self._signatures: dict[bytes, None] = {}  # signatures of signed messages received (the latest, in order)
        self._waiting: set[str] = set()  # inproc addresses it connected to that nobody had bound (InprocNames)
        self._shown: ShownInFormat | None = None  # how its messages read: in the format it last spoke, if any
        self._topics: tuple[bytes, ...] = ()  # a SUB's subscriptions, one entry per subscribe (as ZeroMQ counts)
        self._topics_heard: set[bytes] = set()  # those of them that a message it received started with

    # -- what others read of it ----------------------------------------------------

    @property
    def type_name(self) -> str:
        """Its type as the spec wrote it (``REP`` for a REP stub, a ROUTER underneath)."""
        return self._type_name

    @property
    def addresses(self) -> list[str]:
        """The ZeroMQ addresses it is bound or connected to, in order (real ports for ``:*`` binds): a copy."""
        return list(self._addresses)

    @property
    def bound(self) -> Mapping[str, str]:
        """What it was bound to: the address each bind asked for -> the one ZeroMQ bound (a read-only view that
        follows the socket's binds and unbinds)."""
        return self._bound_view

    @property
    def where(self) -> str:
        """Its endpoints for the action log (``tcp://127.0.0.1:5555``), or its label while it has none."""
        return self._where

    @property
    def last_message(self) -> list[bytes] | None:
        """The last message it received, its envelope set apart (a copy), or None."""
        return None if self._last_message is None else list(self._last_message)

    @property
    def last_envelope(self) -> list[bytes]:
        """The envelope of the last message it received (a copy; ``[]`` for a socket without one)."""
        return list(self._last_envelope)

    @property
    def last_at(self) -> float | None:
        """When the last message arrived (monotonic), or None."""
        return self._last_at

    @property
    def closed(self) -> bool:
        """Whether it was closed (by a step, or as its scenario ended): a closed socket is used no more."""
        return self._closed

    @property
    def lent_to(self) -> Worker | None:
        """The background worker that owns it for now, if any (:meth:`lend`)."""
        return self._lent_to

    @property
    def app(self) -> str | None:
        """The app whose endpoint it was made for, if it was (:meth:`made_for`)."""
        return self._app

    @property
    def curve_public(self) -> str | None:
        """Its public key, if it is a CURVE server (:meth:`secure_as_server`)."""
        return self._curve_public

    @property
    def check_peer(self) -> Callable[[], None] | None:
        """What raises if an app it depends on has died, looked at during its waits (:meth:`made_for`)."""
        return self._check_peer

    @property
    def waiting(self) -> frozenset[str]:
        """The ``inproc://`` addresses it connected to that nobody had bound (:class:`InprocNames`)."""
        return frozenset(self._waiting)

    @property
    def shown(self) -> ShownInFormat | None:
        """How its messages read: in the format it last spoke (:meth:`speak_in`), if any."""
        return self._shown

    @property
    def topics(self) -> tuple[bytes, ...]:
        """A SUB's subscriptions, one entry per subscribe (as ZeroMQ counts them)."""
        return self._topics

    @property
    def topics_heard(self) -> frozenset[bytes]:
        """Those of its topics that a message it received started with."""
        return frozenset(self._topics_heard)

    # -- its life --------------------------------------------------------------------

    @classmethod
    def make(cls, context: zmq.Context[zmq.Socket[bytes]], kind: int, type_name: str, name: str | None,
             label: str, log: ActionLog | None = None) -> ProseSocket:
        """A new socket of ZeroMQ type ``kind`` (shown as ``type_name``) that never lingers when closed."""
        zmq_socket = context.socket(kind)
        zmq_socket.linger = 0
        return cls(zmq_socket, type_name, name, label, log)

    def attach(self, how: str, address: str) -> None:
        """Bind (``how="bind"``) or connect to ``address``, and note where; ZMQError if ZeroMQ refuses.

        Its handshakes are watched from its first bind or connect over a transport that has them (not
        ``inproc://``), before ZeroMQ can make one (:class:`~zmqprose.sockets.monitor.PeerWatch`)."""
        if not address.startswith(INPROC):
            self.watch.start()
        if how == "bind":
            FREED.bind(self.zmq, address)
            real = self.zmq.get_string(zmq.LAST_ENDPOINT)
            FREED.held(real)
            self._add_address(real, bound_as=address)
            if address.startswith(INPROC):
                inproc_names(self.zmq.context).bound(address)
        else:
            self.zmq.connect(address)
            self._add_address(address)
            if address.startswith(INPROC):
                inproc_names(self.zmq.context).connected(self, address)

    def detach(self, how: str, address: str) -> None:
        """Unbind (``how="unbind"``) from or disconnect from ``address``; ZMQError if ZeroMQ refuses."""
        getattr(self.zmq, how)(address)
        if how == "unbind" and address.startswith(INPROC):
            inproc_names(self.zmq.context).unbound(address)
        elif how == "unbind":
            FREED.let_go(address, GONE_WITHIN)
        at = self._addresses.index(address)
        self._addresses = self._addresses[:at] + self._addresses[at + 1:]
        for asked in [asked for asked, real in self._bound.items() if real == address]:
            del self._bound[asked]
        self._where = ", ".join(self._addresses) or self.label
        self._tell_keeper()

    def secure_as_server(self, public_key: str, secret_key: str, zap_domain: str) -> None:
        """Make it a CURVE server with this keypair, its clients checked in ``zap_domain``, before it binds."""
        self.zmq.curve_server = True
        self.zmq.curve_secretkey = secret_key.encode("ascii")
        self.zmq.curve_publickey = public_key.encode("ascii")
        self.zmq.zap_domain = zap_domain.encode("ascii")
        self._curve_public = public_key

    def secure_as_client(self, server_key: str, public_key: str, secret_key: str) -> None:
        """Make it a CURVE client of the server with ``server_key``, before it connects."""
        self.zmq.curve_serverkey = server_key.encode("ascii")
        self.zmq.curve_publickey = public_key.encode("ascii")
        self.zmq.curve_secretkey = secret_key.encode("ascii")

    def made_for(self, app: str | None, check_peer: Callable[[], None]) -> None:
        """It talks to an endpoint of ``app`` (None: of no app, a socket of the spec's own); ``check_peer``
        raises if an app it depends on has died (that app, or any the scenario started). It is looked at
        during every wait of the socket (a send, a receive, a handshake, a subscriber), so that a wait on a
        service or a client that died fails at once, naming it."""
        self._app, self._check_peer = app, check_peer
        self.watch.check = self.subscriptions.check = check_peer

    def lend(self, worker: Worker | None) -> None:
        """Let a background worker own the socket until it is done (steps may not use it meanwhile);
        None: the steps have it back."""
        self._lent_to = worker

    def show_as(self, type_name: str) -> None:
        """Name its type as the spec wrote it (a REP stub is a ROUTER underneath)."""
        self._type_name = type_name

    def speak_in(self, shown: ShownInFormat) -> None:
        """From now on its messages, sent and received, read in this format (the one it last spoke)."""
        self._shown = shown

    def keep_in(self, keeper: Keeper) -> None:
        """Tell ``keeper`` (its scenario's socket table) of every change from now on."""
        self._keeper = keeper

    def close(self) -> None:
        """Close it now, without lingering (ZeroMQ finishes in its own thread: :func:`close_all` waits for
        that, if the socket is watched). Closing twice does nothing.

        Its ``inproc://`` names are unbound first: libzmq frees an inproc name at once when it is unbound, but
        only in its own thread after a close, and the next scenario may bind the same name at once."""
        if self._closed:
            return
        self._closed = True
        for address in self._bound.values():
            if address.startswith(INPROC):
                with contextlib.suppress(zmq.ZMQError):  # refused: the close frees it, in libzmq's own time
                    self.zmq.unbind(address)
                inproc_names(self.zmq.context).unbound(address)
            else:
                FREED.let_go(address, GONE_WITHIN)
        self.zmq.close(linger=0)
        self._tell_keeper()

    def _add_address(self, address: str, bound_as: str | None = None) -> None:
        self._addresses += (address,)
        if bound_as is not None:
            self._bound[bound_as] = address
        self._where = ", ".join(self._addresses)
        self._tell_keeper()

    def _tell_keeper(self) -> None:
        if self._keeper is not None:
            self._keeper.changed(self)

    def connection_waits(self, address: str) -> None:
        """Its connection to ``address`` waits there for somebody to bind it (told by :class:`InprocNames`)."""
        self._waiting.add(address)

    def connection_taken(self, address: str) -> None:
        """Its connection to ``address`` waits there no more: bound by somebody, or let go of."""
        self._waiting.discard(address)

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
        where = ", ".join(self._addresses) or "not bound or connected"
        return f"{self.label} ({self.type_name}, {where})"

    def record(self, frames: list[bytes], peer: str | None, at: float) -> list[bytes]:
        """Keep a received message (it arrived ``at``, monotonic) as this socket's last one; return
        the frames a spec expects.

        The envelope (a ROUTER's routing id, a REQ peer's delimiter) is kept
        apart for :meth:`reply`, by the one rule of :mod:`zmqprose.wire.envelope`.
        """
        if self.has_envelope:  # else it has none, and its last_envelope stays []
            self._last_envelope, frames = split_envelope(self._type_name, frames, peer)
        elif self._topics and frames:  # a SUB: its subscription works for the topics it has heard
            self._topics_heard.update(topic for topic in self._topics if frames[0].startswith(topic))
        self._last_message, self._last_at = frames, at
        return list(frames)  # the caller's to change: the socket keeps its own

    def subscribe(self, prefix: bytes, on: bool = True) -> None:
        """Subscribe a SUB socket to messages that start with ``prefix`` (``on=False``: unsubscribe), keeping
        what it is subscribed to (a receive that times out says whether the subscription can be why)."""
        self.zmq.setsockopt(zmq.SUBSCRIBE if on else zmq.UNSUBSCRIBE, prefix)
        if on:
            self._topics += (prefix,)
        elif prefix in self._topics:
            at = self._topics.index(prefix)
            self._topics = self._topics[:at] + self._topics[at + 1:]

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
        is_bound = address in self._bound or address in self._bound.values()
        is_connected = address in self._addresses and address not in self._bound.values()
        if role == "bind":
            return is_bound
        if role == "connect":
            return is_connected
        return is_bound or is_connected


def close_all(sockets: Iterable[ProseSocket], within: float = GONE_WITHIN) -> bool:
    """Close sockets without lingering, then wait (up to ``within`` seconds in all) until ZeroMQ is done with
    them: their connections closed, their addresses free for the next scenario to bind, as ending a context
    of their own would. True if all were gone in time. (All are closed before any is waited for: two sockets
    of the same process connected over ``inproc://`` each wait for the other to be closed.) A socket that was
    never watched (bound and connected over ``inproc://`` only, or not at all) is not waited for: its names
    are free as it closes (:meth:`ProseSocket.close` unbinds them first), and nothing else of it can reach a
    later scenario.

    What they connected to over ``inproc://`` that nobody bound is let go of before the wait
    (:class:`InprocNames`): ZeroMQ is never done with such a socket until somebody binds the address."""
    sockets = list(sockets)
    for sock in sockets:
        sock.close()
    let_go(sockets)
    deadline = time.monotonic() + within
    return all([sock.watch.wait_until_gone(deadline) for sock in sockets])


def let_go(sockets: Iterable[ProseSocket]) -> None:
    """Drop the connections these sockets made to ``inproc://`` addresses that nobody has bound, with what
    was sent into them and the subscriptions they carry (at the end of their scenario; the sockets may still
    be open, a busy worker's)."""
    for sock in sockets:
        for address in sock.waiting:
            inproc_names(sock.zmq.context).let_go(address, sock.log)


class InprocNames:
    """The ``inproc://`` addresses of one ZeroMQ context: those our sockets have bound now, and those they
    connected to while nobody had bound them.

    libzmq keeps a connection made to an inproc address that nobody has bound (its pipe, what was sent into
    it, a SUB's subscriptions) in the context until some socket binds that address, and hands it to that
    socket: after the connecting socket is closed, and through a disconnect too. Until then the closed socket
    is never done with either. With one context per run (:mod:`zmqprose.sockets.context`), the next scenario
    that binds the address would get what an earlier one sent.

    So at a scenario's end each such address is let go of: a throwaway PAIR socket binds it (which takes
    every connection waiting there), unbinds it (the address is free again at once) and is closed without
    lingering, dropping what it took. That is what libzmq itself does with waiting connections when a
    context ends (``ctx_t::terminate``). Chosen over the alternatives because it is right for every socket
    type and cheap: it costs one socket (tens of microseconds) only for an address left waiting, and nothing
    for a scenario that binds before or after it connects, the usual one. Renaming inproc addresses per
    scenario would change the addresses that apps' settings, a project's own threads and
    ``${socket.NAME.endpoint}`` share, and what the action log shows; a context per scenario costs the two
    threads the run's context was made to save (the per-scenario budget over inproc), and inproc does not
    cross contexts.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._bound: set[str] = set()  # bound by one of our sockets now
        self._waiting: dict[str, list[ProseSocket]] = {}  # connected to while nobody of ours had bound it

    def bound(self, address: str) -> None:
        """A socket bound ``address``: the connections waiting there are its own now (libzmq hands them over
        in the bind)."""
        with self._lock:
            self._bound.add(address)
            for sock in self._waiting.pop(address, ()):
                sock.connection_taken(address)

    def unbound(self, address: str) -> None:
        """The socket bound to ``address`` unbound it, or was closed."""
        with self._lock:
            self._bound.discard(address)

    def connected(self, sock: ProseSocket, address: str) -> None:
        """``sock`` connected to ``address``: if none of our sockets has it bound, the connection may wait
        there (or some other code of the process has it bound: letting go of it then finds that out)."""
        with self._lock:
            if address not in self._bound:
                self._waiting.setdefault(address, []).append(sock)
                sock.connection_waits(address)

    def let_go(self, address: str, log: ActionLog) -> None:
        """Drop every connection waiting on ``address`` (see the class's docstring)."""
        with self._lock:
            waiting = self._waiting.pop(address, [])
            for sock in waiting:
                sock.connection_taken(address)
            if not waiting or address in self._bound:
                return
            throwaway = waiting[0].zmq.context.socket(zmq.PAIR)
            try:
                throwaway.bind(address)
                throwaway.unbind(address)
            except zmq.ZMQError:  # bound by other code of the process: it took what waited there
                return
            finally:
                throwaway.close(linger=0)
        log.note("{}: nobody has bound it; what was sent there is dropped with the socket that connected", address)


_inproc_names: weakref.WeakKeyDictionary[zmq.Context[zmq.Socket[bytes]], InprocNames] = weakref.WeakKeyDictionary()
_inproc_names_lock = threading.Lock()


def inproc_names(context: zmq.Context[zmq.Socket[bytes]]) -> InprocNames:
    """The inproc addresses of ``context``, as our sockets bound and connected them."""
    names = _inproc_names.get(context)
    if names is None:
        with _inproc_names_lock:
            names = _inproc_names.setdefault(context, InprocNames())
    return names


AddressesOf = Callable[[Endpoint], set[str]]  # every address an endpoint may stand for (bound or connected)
SocketLike = ProseSocket | SocketRef | str  # a socket, or what a step wrote to name one
EndpointLike = Endpoint | str  # an endpoint reference, or the text of one


def usable(sock: ProseSocket) -> ProseSocket:
    """The socket, if this thread may use it now: not closed, not lent to a background worker."""
    if sock.closed:
        raise ProseError(f"{sock.describe()} is closed")
    if sock.lent_to is not None:
        if not sock.lent_to.is_done():
            raise ProseError(f"{sock.describe()} {sock.lent_to.why_busy()}")
        sock.lend(None)
    return sock


def closed_hint(sock: ProseSocket) -> str:
    """What to do about a socket that was closed."""
    how = "bind" if sock.bound else "connect"
    return f"{how} a new {sock.type_name} socket first if the scenario needs one again"
