"""The prose object: one per scenario, holding its sockets, its checkpoint and its settings.

Storyplayer's modules are its methods, in snake_case::

    with Prose(load_settings("environments", "local")) as prose:
        push = prose.using_zmq().connect("ogre's command port", "PUSH")
        pull = prose.using_zmq().connect("ogre's response port", "PULL")
        prose.using_zmq().send_multi(push, ["PING", "42"])
        prose.expects_zmq_socket(pull).receives(["PONG", "42"], timeout=2)

Closing it closes every socket it made, without lingering.
"""

from __future__ import annotations

import time
from typing import Any

import zmq

from zmqprose.actionlog import ActionLog
from zmqprose.apps import AppSupervisor
from zmqprose.checkpoint import Checkpoint
from zmqprose.errors import ProseError, ResolveError
from zmqprose.expectations import ExpectsCheckpoint, ExpectsZmqSocket
from zmqprose.from_environment import FromEnvironment
from zmqprose.interpolation import interpolate, interpolate_all
from zmqprose.pipeline import ExpectsPipeline, Pipeline
from zmqprose.receiving import FromZmqSocket
from zmqprose.references import Address, AppEndpoint, Endpoint, EndpointOf, SocketRef, resolve_app_endpoint
from zmqprose.settings import Settings
from zmqprose.sockets import ProseSocket, SocketTable
from zmqprose.stubs import ExpectsStub, Stub
from zmqprose.using import UsingZmq

CHECKPOINT_PREFIX = "checkpoint."


class Prose:
    """Everything one scenario (or one Python test) does with ZeroMQ."""

    def __init__(self, settings: Settings | None = None, apps: AppSupervisor | None = None,
                 timeout: float | None = None, live_log: bool = False) -> None:
        self.settings = settings if settings is not None else Settings({})
        self._owns_apps = apps is None  # then the apps it starts are stopped when it closes
        self.apps = apps if apps is not None else AppSupervisor(self.settings)
        self.timeout = timeout if timeout is not None else self.settings.timeout
        self.checkpoint = Checkpoint()
        self.context = zmq.Context()
        self.sockets = SocketTable()
        self.started_at = time.monotonic()
        self.action_log = ActionLog(live=live_log, mask=self.settings.mask)
        self.pipeline = Pipeline()
        self.stubs: list[Stub] = []
        self._resolved: dict[tuple[AppEndpoint, bool], str] = {}
        self._using = UsingZmq(self)

    def __enter__(self) -> Prose:
        return self

    def __exit__(self, exc_type: object, error: BaseException | None, *exc_info: object) -> None:
        if error is not None:
            self.tell_failure(error)
        self.close()

    def tell_failure(self, error: BaseException) -> None:
        """A failure is about to be reported: write the action log, and mask secrets in the message."""
        self.action_log.write()
        if isinstance(error, AssertionError) and error.args:
            error.args = (self.settings.mask(str(error.args[0])), *error.args[1:])

    # -- Storyplayer's modules -------------------------------------------------

    def using_zmq(self) -> UsingZmq:
        """Make sockets, send, subscribe, close."""
        return self._using

    def from_zmq_socket(self, socket: ProseSocket | SocketRef | str) -> FromZmqSocket:
        """Receive on a socket of this scenario."""
        return FromZmqSocket(self, self.socket(socket))

    def expects_zmq_socket(self, socket: ProseSocket | SocketRef | str) -> ExpectsZmqSocket:
        """Check what a socket can send, where it is connected, what it receives."""
        return ExpectsZmqSocket(self, self.socket(socket))

    def expects_checkpoint(self) -> ExpectsCheckpoint:
        """Check what this scenario stored in its checkpoint."""
        return ExpectsCheckpoint(self.checkpoint)

    def expects_pipeline(self) -> ExpectsPipeline:
        """Check the scenario's push and pull: nothing lost, order kept, speed reached."""
        return ExpectsPipeline(self.pipeline, self.timeout)

    def stub(self, ref: ProseSocket | SocketRef | str) -> Stub:
        """A stub of this scenario, by its name or its endpoint."""
        sock = self.sockets.find(ref, self.resolve, lent=True)
        if not isinstance(sock.lent_to, Stub):
            raise ProseError(f"{sock.describe()} is not a stub: make one with 'a stub REP socket bound to …'")
        return sock.lent_to

    def expects_stub(self, ref: ProseSocket | SocketRef | str) -> ExpectsStub:
        """Check what a stub received."""
        return ExpectsStub(self.stub(ref))

    def from_environment(self) -> FromEnvironment:
        """Read the app settings of the environment."""
        return FromEnvironment(self.settings)

    # -- finding things --------------------------------------------------------

    def socket(self, ref: ProseSocket | SocketRef | str) -> ProseSocket:
        """A socket of this scenario, by the socket itself, its name, or an endpoint it used."""
        if isinstance(ref, AppEndpoint):
            self.apps.check_alive(ref.app)
        return self.sockets.find(ref, self.resolve)

    def resolve(self, endpoint: Endpoint, for_bind: bool = False) -> str:
        """The ZeroMQ address an endpoint reference stands for."""
        if isinstance(endpoint, AppEndpoint):
            self.apps.check_alive(endpoint.app)
            address = self._resolved.get((endpoint, for_bind))
            if address is None:
                written = resolve_app_endpoint(self.settings, endpoint, for_bind)
                address = interpolate(written, self.lookup)
                if written == address:  # nothing interpolated: it cannot change during the scenario
                    self._resolved[(endpoint, for_bind)] = address
            return address
        if isinstance(endpoint, EndpointOf):
            sock = self.sockets.named(endpoint.name)
            if not sock.bound:
                raise ResolveError(
                    f'"{endpoint.name}" is not bound, so it has no endpoint to connect to: {sock.describe()}'
                )
            return list(sock.bound.values())[-1]
        if isinstance(endpoint, Address):
            return interpolate(endpoint.text, self.lookup)
        raise ProseError(f"not an endpoint: {endpoint!r}")

    def lookup(self, name: str) -> Any:
        """The value of ``${name}``: ``checkpoint.KEY`` or ``APP.SETTING``."""
        if name.startswith(CHECKPOINT_PREFIX):
            return self.checkpoint.get(name[len(CHECKPOINT_PREFIX):])
        return self.settings.lookup(name)

    def interpolate(self, value: Any, keep: tuple[str, ...] = ()) -> Any:
        """``value`` with ``${checkpoint.KEY}`` and ``${APP.SETTING}`` filled in (strings, lists, dicts).

        Names starting with one of ``keep`` stay as they are (``("request.",)`` for a stub's answers).
        """
        return interpolate_all(value, self.lookup, keep)

    def timeout_or_default(self, timeout: float | None) -> float:
        """``timeout`` if given, else the environment's default wait."""
        return self.timeout if timeout is None else timeout

    # -- the end ---------------------------------------------------------------

    def forget(self, sock: ProseSocket) -> None:
        """Close one socket without lingering and drop it from the scenario."""
        sock.watch.close()
        sock.zmq.close(linger=0)
        sock.closed = True
        self.sockets.remove(sock)

    def close(self) -> None:
        """Stop background work, close every socket of this scenario without lingering, and its context.

        A prose object made without an AppSupervisor also stops the apps it started.
        """
        self.pipeline.stop()
        for stub in self.stubs:
            stub.stop()
        for sock in self.sockets:
            self.forget(sock)
        self.context.destroy(linger=0)
        if self._owns_apps:
            self.apps.stop_all()
