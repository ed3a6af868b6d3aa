"""Locust users that speak ZeroMQ through zmqprose: a locustfile for a ZeroMQ service is a few lines.

Locust (``pip install "zmqprose[locust]"``) runs the load, from one machine or
many; zmqprose is each user's client::

    from locust import constant, task
    from zmqprose.locust import ZmqUser

    class ControlUser(ZmqUser):
        wait_time = constant(0)

        def on_start(self):
            self.client.connect("ogre's control port", "REQ")

        @task
        def ping(self):
            self.client.request("ogre's control port", ["PING", "${uuid}"], expect=["PONG", "#ignore"])

The client (:class:`ZmqClient`) is the prose API: it connects or binds to an
app reference of the settings or an address, sends frames (``${…}`` filled
in) or a value in a format, with an envelope, and receives with zmqprose's
matching (markers, formats). Each exchange is one request to Locust: its
name, its response time, its length (the bytes received, or sent), or its
failure with the first line of zmqprose's message (so that Locust counts
equal failures together; the whole message of the first few goes to the
worker's log). A failed exchange ends the task, as ``return`` would.

Each user has a prose object of its own, living in a thread of its own: Locust
runs its users as gevent greenlets, and zmqprose's waits are ZeroMQ's, which
gevent cannot switch away from; in its own thread a user's wait holds up
neither the other users of its worker nor the worker's heartbeat to the
master, and its sockets stay with one thread, as ZeroMQ wants. When the
user stops, its thread cuts its current wait short (at its next look at its
peer, within a quarter of a second), closes its sockets and ends; when
Locust quits, every user's thread has done so, or is waited for (bounded),
before the process goes on to exit: no socket is ever closed by another
thread than the one that made it.

:class:`PushingUser` pushes numbered messages into a PUSH endpoint at a rate
(the same header as zmqprose's pushes), so that a spec's pull counts every
one of them, from every worker.

The settings come from the scenario that started the load (``ZMQPROSE_SETTINGS``),
else from an environment: ``--zmqprose-env NAME`` and ``--zmqprose-environments
DIR`` (``ZMQPROSE_ENV``, ``ZMQPROSE_ENVIRONMENTS``), given to Locust's master,
which hands them to its workers (:mod:`zmqprose.load.handoff`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

try:
    import gevent
    from gevent.event import AsyncResult
    from gevent.threadpool import ThreadPool
    from locust import User, constant, events, task
    from locust.env import Environment
    from locust.exception import RescheduleTask
except ImportError as missing:  # pragma: no cover - the extra is not installed
    raise ImportError(f"zmqprose.locust runs in Locust, which is not installed ({missing}): "
                      f'pip install "zmqprose[locust]"') from missing

from zmqprose.compat import send_now
from zmqprose.errors import ProseError, ResolveError, WaitTimeout
from zmqprose.limits import MAX_MESSAGE_SIZE, check_count, check_wait
from zmqprose.load.handoff import ENV_VARIABLE, ENVIRONMENTS_VARIABLE, SETTINGS_VARIABLE, SettingsSource
from zmqprose.pipelines.push import BATCH, HEADER, NumberedMessages
from zmqprose.prose import Prose
from zmqprose.security.curve import CurveRequest
from zmqprose.settings import Settings
from zmqprose.sockets.socket import EndpointLike, ProseSocket, SocketLike
from zmqprose.wire.frames import Frame
from zmqprose.wire.masking import mask_text

__all__ = ["CurveRequest", "ExchangeFailed", "PushingUser", "ZmqClient", "ZmqUser"]

T = TypeVar("T")
log = logging.getLogger("zmqprose.locust")
CLOSE_WAIT = 10.0  # seconds a stopping user waits for its thread to close its sockets (after its current exchange)
QUIT_WAIT = 10.0  # seconds Locust's quitting waits, in all, for the threads of users still closing their sockets
LOGGED_PER_FAILURE = 3  # whole messages logged of each kind of failure (by its first line)
FAILURE_KINDS_LOGGED = 100  # kinds of failure whose whole messages are logged, at most
IDLE = 0.1  # seconds a pushing user that has pushed its count sleeps at a time, until the load ends
RELIABLE_REQ = {"REQ_RELAXED": 1, "REQ_CORRELATE": 1}  # a REQ may ask again after no answer; a late one is dropped


# -- the settings, as Locust's options ---------------------------------------------------


def add_options(parser: Any, **_: Any) -> None:
    """zmqprose's settings as Locust's options (also read from the environment): the master hands them to its
    workers. None given: each worker's own environment variables, then behave's defaults."""
    group = parser.add_argument_group("zmqprose", "the settings zmqprose's users connect by (docs: "
                                                  "how-to/pipelines-and-load.md, *Load tests with Locust*)")
    group.add_argument("--zmqprose-env", metavar="NAME", env_var=ENV_VARIABLE, default=None,
                       help="the environment whose settings the users read (default: local)")
    group.add_argument("--zmqprose-environments", metavar="DIR", env_var=ENVIRONMENTS_VARIABLE, default=None,
                       help="the folder of the environments' settings (default: environments)")
    group.add_argument("--zmqprose-settings", metavar="FILE", env_var=SETTINGS_VARIABLE, default=None,
                       help="a scenario's settings, handed over by zmqprose's load step (wins over the two above)")


events.init_command_line_parser.add_listener(add_options)  # type: ignore[no-untyped-call]
_settings: dict[SettingsSource, Settings] = {}  # loaded once per worker process, shared (they are read-only)


def described(settings: Settings) -> str:
    """Which settings a worker reads, for an error that is about them."""
    return (f"the settings of environment '{settings.env}' ({settings.source}), given as --zmqprose-env and "
            f"--zmqprose-environments to Locust's master, or as {ENV_VARIABLE} and {ENVIRONMENTS_VARIABLE}")


def settings_of(environment: Environment) -> Settings:
    """The settings this worker's users read: Locust's options (from the master), else the environment variables."""
    options = environment.parsed_options
    given = SettingsSource.from_environ()
    source = SettingsSource(
        getattr(options, "zmqprose_settings", None) or given.file,
        getattr(options, "zmqprose_environments", None) or given.environments,
        getattr(options, "zmqprose_env", None) or given.env,
    )
    if source not in _settings:
        _settings[source] = source.load()
    return _settings[source]


# -- the client ----------------------------------------------------------------------------


class ExchangeFailed(RescheduleTask):
    """An exchange failed, and Locust has counted it: the task ends here, as ``return`` would (Locust moves on to
    the user's next task after its wait). ``error`` is zmqprose's."""

    def __init__(self, error: ProseError) -> None:
        super().__init__(str(error))
        self.error = error


class RequestFailed(ProseError):
    """A failure as Locust counts it: the first line of zmqprose's message. Its ``repr`` is that line, since Locust
    keeps, shows and sends to its master a failure by its ``repr``."""

    def __repr__(self) -> str:
        return str(self)


_clients: set[ZmqClient] = set()  # every client whose thread may still own sockets: closed and joined at Locust's quit


class ZmqClient:
    """A Locust user's client: zmqprose's prose API in a thread of the user's own, each exchange one Locust request.

    Setting up (``connect``, ``bind``, ``call``) is not counted; a setup that fails is counted as a failed
    request and raises. Exchanges (``request``, ``send``, ``receive``, ``request_value``, ``send_value``,
    ``exchange``, ``push``) are counted; one that fails raises :class:`ExchangeFailed`, which ends the task.

    The user's sockets are made, used and closed in its thread, and only there (ZeroMQ's sockets are not
    thread-safe): :meth:`close` asks that thread to close them after its current exchange, and the thread ends
    once it has.
    """

    def __init__(self, environment: Environment, timeout: float | None = None) -> None:
        self.environment = environment
        self.timeout = None if timeout is None else check_wait(timeout, "a ZmqUser's timeout")
        self._pool: ThreadPool | None = None  # the user's own thread, made at its first call, None again once ended
        self._prose: Prose | None = None  # lives in that thread
        self._closing: AsyncResult | None = None  # the close queued in that thread, once asked for
        self.closed = False  # it takes no more calls (its sockets may still be open: see ``done``)

    @property
    def done(self) -> bool:
        """True once the user's thread has closed the user's sockets and ended (or if it never began)."""
        return self._pool is None

    # -- the user's thread ------------------------------------------------------------

    def call(self, function: Callable[[Prose], T]) -> T:
        """Run ``function(prose)`` in the user's thread, with its prose object, and return what it returns (or raise
        what it raised); not counted (for what the prose API does that the other methods do not)."""
        if self.closed:
            raise ProseError("this user's client is closed: its user has stopped")
        if self._pool is None:
            self._pool = ThreadPool(1)
            _clients.add(self)
        returned, raised = self._pool.apply(self._in_thread, (function,))
        if raised is not None:
            raise raised
        result: T = returned
        return result

    def _in_thread(self, function: Callable[[Prose], T]) -> tuple[T | None, BaseException | None]:
        """In the user's thread: what ``function`` returned, or what it raised (handed back to the user's greenlet
        to raise there: gevent's thread pool would print it as an error of its own)."""
        try:
            if self._prose is None:
                self._prose = Prose(settings_of(self.environment), timeout=self.timeout)
            return function(self._prose), None
        except Exception as error:
            return None, error

    def close(self, wait: float | None = None) -> bool:
        """Take no more calls, and have the user's thread close its sockets after its current exchange; wait at most
        ``wait`` seconds for that (default :data:`CLOSE_WAIT`), then end the thread. True if it is done: the sockets
        closed, the thread ended.

        The waits of the sockets made by :meth:`connect` and :meth:`bind` end at their next look at their peer (a
        quarter of a second), so the current exchange ends soon; one that still waits (a wait of the user's own,
        each of zmqprose's with a timeout) has the thread close the sockets when it returns, never another thread
        under it, and Locust's quitting waits for it (:func:`close_clients`). Closing again waits again."""
        self.closed = True
        pool = self._pool
        if pool is None:
            return True
        if self._closing is None:
            self._closing = pool.spawn(self._close_in_thread)
        closing = self._closing
        closing.wait(CLOSE_WAIT if wait is None else wait)
        if not closing.ready():
            return False
        failed = closing.get()
        if failed is not None:
            log.warning("a user's sockets could not all be closed: %s", failed)
        self._pool = None
        _clients.discard(self)
        pool.kill()  # its thread has nothing left to do: it ends at once
        return True

    def _close_in_thread(self) -> BaseException | None:
        """In the user's thread, after its last exchange: close the user's sockets; what went wrong, if anything."""
        prose, self._prose = self._prose, None
        if prose is None:
            return None
        try:
            prose.close()
        except Exception as error:
            return error
        return None

    # -- setting up -------------------------------------------------------------------

    def connect(self, endpoint: EndpointLike, type: str, name: str | None = None,
                options: Mapping[str, Any] | None = None, subscribe: Sequence[Frame] = (),
                curve: CurveRequest | None = None) -> ProseSocket:
        """A socket of ``type`` connected to ``endpoint`` (an app reference of the settings, or an address), as
        ``prose.using_zmq().connect``; with ``curve`` (``CurveRequest(client="NAME")``), a CURVE client of the
        app's server key, with the client pair ``NAME`` of the settings' ``zmqprose.curve_clients``. A REQ
        socket is relaxed and correlated unless ``options`` say otherwise: after a request that got no answer it
        may ask again, and a late answer is dropped, never taken for the answer to the next request."""
        wanted = {**RELIABLE_REQ, **(options or {})} if type.upper() == "REQ" else options
        return self._set_up("connect", endpoint, lambda prose: self._stops_with_user(prose.using_zmq().connect(
            endpoint, type, name, wanted, subscribe, curve)))

    def bind(self, endpoint: EndpointLike, type: str, name: str | None = None,
             options: Mapping[str, Any] | None = None) -> ProseSocket:
        """A socket of ``type`` bound to ``endpoint``, as ``prose.using_zmq().bind``."""
        return self._set_up("bind", endpoint, lambda prose: self._stops_with_user(
            prose.using_zmq().bind(endpoint, type, name, options)))

    def _stops_with_user(self, sock: ProseSocket) -> ProseSocket:
        """In the user's thread: a wait of the socket ends at its next look at its peer (every quarter of a second)
        once the user is told to stop, so that its thread is soon free to close it (:meth:`close`)."""
        looks_at_peer = sock.check_peer

        def check_peer() -> None:
            if self.closed:
                raise ProseError(f"{sock.describe()}: the user was told to stop, so its wait ends here")
            if looks_at_peer is not None:
                looks_at_peer()

        sock.made_for(sock.app, check_peer)
        return sock

    def _set_up(self, kind: str, endpoint: EndpointLike, function: Callable[[Prose], T]) -> T:
        try:
            return self.call(function)
        except ResolveError as error:  # the endpoint is not in the settings as the worker reads them: say which
            told = type(error)(f"{error}\n  (a Locust worker reads {described(settings_of(self.environment))})")
            self._report(kind, str(endpoint), 0.0, 0, told)
            raise told from None
        except ProseError as error:
            self._report(kind, str(endpoint), 0.0, 0, error)
            raise

    # -- exchanges ----------------------------------------------------------------------

    def exchange(self, name: str, function: Callable[[Prose], T], request_type: str = "exchange") -> T:
        """Run ``function(prose)`` in the user's thread as one request named ``name``: timed, counted, its length
        the bytes of what it returns (bytes, or a list of frames), or its failure (a zmqprose error) counted."""
        began = time.perf_counter()  # set again in the thread: the wait for the thread is not the request's

        def timed(prose: Prose) -> tuple[T, float]:
            nonlocal began
            began = time.perf_counter()
            result = function(prose)
            return result, time.perf_counter()

        try:
            result, ended = self.call(timed)
        except ProseError as error:
            self._report(request_type, name, (time.perf_counter() - began) * 1000, 0, error)
            raise ExchangeFailed(error) from None
        self._report(request_type, name, (ended - began) * 1000, length_of(result), None)
        return result

    def request(self, socket: SocketLike, frames: Sequence[Frame], expect: Sequence[Frame] | None = None,
                reply_from: SocketLike | None = None, name: str | None = None,
                timeout: float | None = None) -> list[bytes]:
        """Send ``frames`` (``${…}`` filled in) to ``socket`` and receive the answer from ``reply_from`` (default: the
        same socket), matching ``expect`` (markers allowed) if given; the answer's frames."""
        def ask(prose: Prose) -> list[bytes]:
            prose.using_zmq().send_multi(socket, prose.interpolate_frames(frames), timeout)
            answer_on = socket if reply_from is None else reply_from
            if expect is None:
                return prose.expects_zmq_socket(answer_on).receives_message(timeout)
            return prose.expects_zmq_socket(answer_on).receives(prose.interpolate_frames(expect), timeout)

        return self.exchange(name or self._label(socket), ask, "request")

    def send(self, socket: SocketLike, frames: Sequence[Frame], name: str | None = None,
             timeout: float | None = None) -> None:
        """Send ``frames`` (``${…}`` filled in) to ``socket``: one request, as long as ZeroMQ took to queue them,
        its length the bytes sent."""
        def send(prose: Prose) -> int:
            filled = prose.interpolate_frames(frames)
            prose.using_zmq().send_multi(socket, filled, timeout)
            return sum(len(frame.encode() if isinstance(frame, str) else frame) for frame in filled)

        self.exchange(name or self._label(socket), send, "send")

    def receive(self, socket: SocketLike, expect: Sequence[Frame] | None = None, name: str | None = None,
                timeout: float | None = None, eventually: bool = False) -> list[bytes]:
        """Receive a message on ``socket``, matching ``expect`` if given (with ``eventually``, skipping those that
        do not); its frames."""
        def receive(prose: Prose) -> list[bytes]:
            checks = prose.expects_zmq_socket(socket)
            if expect is None:
                return checks.receives_message(timeout)
            return checks.receives(prose.interpolate_frames(expect), timeout, eventually)

        return self.exchange(name or self._label(socket), receive, "receive")

    def send_value(self, socket: SocketLike, value: Any, format: str = "JSON",
                   envelope: Sequence[Frame] = (), name: str | None = None, timeout: float | None = None) -> None:
        """Send ``value`` in ``format`` (JSON, msgpack, a registered one) after ``envelope``."""
        def send(prose: Prose) -> None:
            prose.using_zmq().send_value(socket, value, format, prose.interpolate_frames(envelope), timeout)

        self.exchange(name or self._label(socket), send, "send")

    def request_value(self, socket: SocketLike, value: Any, format: str = "JSON", expect: Any = None,
                      subset: bool = False, envelope: Sequence[Frame] = (), reply_from: SocketLike | None = None,
                      name: str | None = None, timeout: float | None = None) -> Any:
        """Send ``value`` in ``format`` after ``envelope``, and receive the answer's value in the same format from
        ``reply_from`` (default: the same socket), matching ``expect`` (with ``subset``: containing it) if given."""
        def ask(prose: Prose) -> Any:
            prose.using_zmq().send_value(socket, value, format, prose.interpolate_frames(envelope), timeout)
            checks = prose.expects_zmq_socket(socket if reply_from is None else reply_from)
            if expect is None:
                checks.receives_message(timeout)
                return prose.from_zmq_socket(socket if reply_from is None else reply_from).get_last_value(format)
            return checks.receives_value(expect, format, subset, timeout)

        return self.exchange(name or self._label(socket), ask, "request")

    def _label(self, socket: SocketLike) -> str:
        """A request's name when none is given: the socket as the spec names it (its name, or its endpoint)."""
        return socket.label if isinstance(socket, ProseSocket) else str(socket)

    # -- counting --------------------------------------------------------------------------

    def _report(self, request_type: str, name: str, milliseconds: float, length: int,
                error: ProseError | None) -> None:
        """Tell Locust of one request; a failure by the first line of zmqprose's message (its whole message is
        logged for the first few of each kind)."""
        failure = None
        if error is not None:
            message = mask_text(str(error))
            headline = message.split("\n", 1)[0].rstrip(";:, ")
            failure = RequestFailed(headline)
            log_failure(headline, message)
        self.environment.events.request.fire(  # type: ignore[no-untyped-call]  # Locust's events have no type hints
            request_type=request_type, name=name, response_time=milliseconds, response_length=length,
            exception=failure, context={})


_failures_logged: dict[str, int] = {}


def log_failure(headline: str, message: str) -> None:
    """Log the whole message of a failure, for the first few of each kind (bounded in kinds too)."""
    seen = _failures_logged.get(headline, 0)
    if seen >= LOGGED_PER_FAILURE or (not seen and len(_failures_logged) >= FAILURE_KINDS_LOGGED):
        return
    _failures_logged[headline] = seen + 1
    log.warning("a request failed: %s", message)


def length_of(result: Any) -> int:
    """The bytes of what an exchange returned: bytes, text, a count of bytes, or a list of frames; else 0."""
    if isinstance(result, bytes | bytearray | memoryview):
        return len(result)
    if isinstance(result, str):
        return len(result.encode())
    if isinstance(result, int) and not isinstance(result, bool):
        return result
    if isinstance(result, list | tuple) and all(isinstance(frame, bytes) for frame in result):
        return sum(len(frame) for frame in result)
    return 0


def close_clients(**_: Any) -> None:
    """Locust quits: no user's thread may still own sockets as the process goes on to exit. Every user that did not
    close its client (an ``on_stop`` of its own that did not call ``super().on_stop()``) is closed now, and the
    threads of all users still closing (their last exchange still waiting) are waited for, :data:`QUIT_WAIT`
    seconds in all: each closes its own sockets, and ends."""
    clients = list(_clients)
    for client in clients:  # every close is queued at once, so that they are all waited for together
        client.close(0)
    deadline = time.monotonic() + QUIT_WAIT
    for client in clients:
        client.close(max(deadline - time.monotonic(), 0.0))
    left = sum(not client.done for client in clients)
    if left:
        log.warning("%d user(s) still waited in an exchange %g s after Locust quit: their threads close their "
                    "sockets when ZeroMQ ends the exchange as the process ends", left, QUIT_WAIT)


events.quitting.add_listener(close_clients)  # type: ignore[no-untyped-call]


# -- the users ------------------------------------------------------------------------------


class ZmqUser(User):
    """A Locust user whose ``client`` is zmqprose's prose API (:class:`ZmqClient`); its sockets close when it
    stops. ``timeout``: the wait of every send and receive, in seconds (default: the settings' ``zmqprose.timeout``).
    A subclass that has an ``on_stop`` of its own calls ``super().on_stop()``."""

    abstract = True
    timeout: float | None = None

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        self.client = ZmqClient(environment, self.timeout)

    def on_stop(self) -> None:
        """The user stops: its thread closes its sockets after its current exchange (waited for :data:`CLOSE_WAIT`
        seconds at most, then at Locust's quit)."""
        if not self.client.close():
            log.warning("a user's exchange still waits %g s after it was told to stop: its thread closes the user's "
                        "sockets when the exchange returns", CLOSE_WAIT)


class PushingUser(ZmqUser):
    """A user that pushes numbered messages into a PUSH endpoint: ``rate`` a second (0: as fast as ZeroMQ takes
    them), ``count`` in all (0: until the load ends), ``size`` bytes each.

    Each message starts with the header of zmqprose's own pushes (the push's id, 4 bytes, then its sequence
    number, 8 bytes, big-endian; every user a push of its own), so that a spec's pull counts them exactly, from
    every user of every worker (``I pull N messages from …``, ``the pulled messages arrived in order``). A
    batch (a tenth of a second's messages, at most 4096) is one Locust request, named after the endpoint, its
    length the bytes it pushed. A user that has pushed its count keeps its socket open until the load ends, so
    that ZeroMQ passes on what it still holds.
    """

    abstract = True
    endpoint: str = ""
    rate: float = 1000.0
    count: int = 10_000
    size: int = 100
    wait_time = constant(0)

    def on_start(self) -> None:
        """Check the user's settings and connect its PUSH socket to ``endpoint``."""
        if not self.endpoint:
            raise ProseError(f"{type(self).__name__} pushes to no endpoint: give it one, e.g. "
                             f"endpoint = \"ogre's pipeline input port\"")
        if self.count:
            check_count(self.count, f"{type(self).__name__}.count")
        check_count(self.size, f"{type(self).__name__}.size (bytes of a message, its {HEADER.size}-byte header "
                               f"included)", MAX_MESSAGE_SIZE, least=HEADER.size)
        if self.rate < 0:
            raise ProseError(f"{type(self).__name__}.rate is a number of messages a second (0: as fast as it "
                             f"can), not {self.rate:g}")
        self.push_socket = self.client.connect(self.endpoint, "PUSH")
        self.pushing = Push(self.push_socket, self.size, self._batch())
        self.began = time.monotonic()

    def _batch(self) -> int:
        return BATCH if not self.rate else max(1, min(BATCH, round(self.rate / 10)))

    @task
    def push(self) -> None:
        """Push the next batch when it is due (at ``rate``); idle once ``count`` messages are pushed."""
        sent = self.pushing.sent
        if self.count and sent >= self.count:
            gevent.sleep(IDLE)
            return
        if self.rate:
            gevent.sleep(max(self.began + sent / self.rate - time.monotonic(), 0.0))
        batch = min(self.pushing.batch, self.count - sent) if self.count else self.pushing.batch
        self.client.exchange(self.endpoint, lambda prose: self.pushing.send(batch, prose.timeout), "push")

    def on_stop(self) -> None:
        """Say how many messages this user pushed, under which push id, then close its socket."""
        if hasattr(self, "pushing"):
            log.info("pushed %d messages (push id %d) to %s", self.pushing.sent, self.pushing.push_id, self.endpoint)
        super().on_stop()


class Push:
    """What a pushing user sends from its thread: numbered messages of one push, a batch at a time."""

    def __init__(self, sock: ProseSocket, size: int, batch: int) -> None:
        import os

        self.push_id = int.from_bytes(os.urandom(4), "big")
        self.batch = batch
        self.sent = 0  # messages ZeroMQ has taken: the next one sent is numbered so
        self._sock = sock
        self._size = size
        self._numbered = NumberedMessages(self.push_id, size, batch)

    def send(self, count: int, timeout: float) -> int:
        """Send the next ``count`` messages (at most a batch), each waiting at most ``timeout`` for ZeroMQ to take
        it; the bytes sent. A message ZeroMQ does not take in time (the pipeline is full) fails the batch; the
        next batch goes on from the first message not sent, so no number is sent twice."""
        import zmq

        first = self.sent
        messages = self._numbered.numbered(first, count)
        self._sock.wait_to_send(timeout)
        send = send_now.__get__(self._sock.zmq)
        sent: list[None] = []
        try:
            sent.extend(map(send, messages))
        except zmq.Again:
            raise WaitTimeout(f"the push to {self._sock.describe()} stalled: ZeroMQ took {len(sent)} of {count} "
                              f"messages (from #{first}), none more within {timeout:g} s; is the pipeline "
                              f"passing them on?") from None
        finally:
            self.sent = first + len(sent)
        return count * self._size
