"""The state one scenario's actions share, and nothing else.

:class:`Prose` owns one :class:`Scenario` (nobody else reaches it) and hands
each action and check the parts of it that one uses, never the whole (the
socket table, the links, the apps, the action log, :class:`~zmqprose.sockets.transfer.Listening`: the
default wait and what is known of a silent socket): its sockets (in the
run's ZeroMQ context), the checkpoint, and what runs in the background
(pushers, stubs, commands). It answers the questions every action asks:
which socket a reference names, which address an endpoint stands for, what
``${…}`` means (``${socket.…}`` and ``${link.…}`` by the socket table and the
link table).
"""

from __future__ import annotations

import datetime
import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any

import zmq

from zmqprose.actionlog import ActionLog, RunOptions
from zmqprose.apps.supervisor import AppSupervisor
from zmqprose.checkpoint import Checkpoint
from zmqprose.commands.shell import Commands
from zmqprose.errors import ProseError, ResolveError
from zmqprose.limits import check_wait
from zmqprose.links.table import LinkTable
from zmqprose.pipelines.pipeline import Pipeline
from zmqprose.security.curve import Allowances
from zmqprose.settings import Settings
from zmqprose.settings.app import CHECKPOINT_NAMES, LINK_NAMES, SOCKET_NAMES
from zmqprose.sockets.context import before_end, run_context
from zmqprose.sockets.references import Address, AppEndpoint, Endpoint, EndpointOf, resolve_app_endpoint
from zmqprose.sockets.socket import GONE_WITHIN, ProseSocket, SocketLike, close_all, let_go
from zmqprose.sockets.table import SocketTable
from zmqprose.sockets.transfer import Listening
from zmqprose.stubs.stub import Stub
from zmqprose.wire.format_registry import FormatContext
from zmqprose.wire.frames import Frame
from zmqprose.wire.interpolation import interpolate, interpolate_all, interpolate_frames, interpolate_json

__all__ = ["MADE_VALUES", "RunOptions", "Scenario"]  # RunOptions: what Prose hands a scenario

MADE_VALUES: dict[str, Callable[[], Any]] = {
    "uuid": lambda: str(uuid.uuid4()),
    "now": lambda: datetime.datetime.now(datetime.UTC).isoformat().replace("+00:00", "Z"),
    "now.epoch": time.time,
}


class Scenario:
    """Sockets, default wait, action log, checkpoint, apps and background work of one scenario."""

    def __init__(self, apps: AppSupervisor, timeout: float, options: RunOptions | None = None) -> None:
        self.apps = apps
        self.log = ActionLog(options)  # the run's options: live or not, frames whole or shortened, story kept
        apps.begin_scenario(self.lookup, self.log)  # an app of the scenario's own may refer to its sockets
        self.timeout = check_wait(timeout, "the default wait")
        self.checkpoint = Checkpoint()
        self.zmq_context = run_context()
        self.sockets = SocketTable()
        self.started_at = time.monotonic()
        self.pipeline = Pipeline(lambda label: self.new_socket(zmq.PUSH, "PUSH", None, label))
        self.stubs: list[Stub] = []
        self.links = LinkTable()
        self.commands = Commands(apps.new_folder, apps.run_marker, self.log, apps.scenario_marker)
        self.allowances = Allowances(self.zmq_context, before_end)  # who may connect to the scenario's CURVE servers
        self._resolved: dict[tuple[AppEndpoint, bool], str] = {}
        self.session_id = str(uuid.uuid4())  # the Jupyter session of this scenario's messages
        self.listening = Listening(self.timeout, self.started_at, self.why_silent, self.format_context)

    @property
    def settings(self) -> Settings:
        """The environment's settings, with the free ports chosen so far."""
        return self.apps.settings

    def wait(self, timeout: float | None, what: str = "a wait") -> float:
        """``timeout`` (checked: positive, finite, at most a day), or the default wait if None."""
        return self.listening.wait(timeout, what)

    # -- finding things --------------------------------------------------------

    def socket(self, ref: SocketLike) -> ProseSocket:
        """A socket of this scenario, by the socket itself, its name, or an endpoint it used."""
        if isinstance(ref, AppEndpoint):
            self.apps.check_alive(ref.app)
        return self.sockets.find(ref, self.addresses)

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
            if endpoint.name in self.links:
                return self.links[endpoint.name].endpoint
            sock = self.sockets.named(endpoint.name)
            if not sock.bound:
                raise ResolveError(
                    f'"{endpoint.name}" is not bound, so it has no endpoint to connect to: {sock.describe()}'
                )
            return list(sock.bound.values())[-1]
        if isinstance(endpoint, Address):
            return interpolate(endpoint.text, self.lookup)
        raise ProseError(f"not an endpoint: {endpoint!r}")

    def why_silent(self, sock: ProseSocket) -> str | None:
        """Why nothing may have arrived on a socket, when that can be known: an app not started (or ended), no
        peer, a one-shot client of the scenario's that ended with code 0 (:meth:`ended_peers`)."""
        if sock.app is not None and (reason := self.apps.why_not_answering(sock.app)):
            return reason
        connected = [e for e in sock.addresses if e.startswith("tcp://") and e not in sock.bound.values()]
        no_peer = (f"no peer has ever connected with it: is anything listening on {', '.join(connected)}?"
                   if connected and not sock.watch.ever_connected() else None)
        return "; ".join(filter(None, [no_peer, self.ended_peers(sock)])) or None

    def ended_peers(self, sock: ProseSocket) -> str | None:
        """For a socket of the spec's own that waited in vain: the apps and commands of the scenario that ended
        with code 0 meanwhile (a one-shot client that is done) and were handed its port or address (or none at
        all): ``client ended with code 0 at +1.2 s: it will not send more``. None if none did (a socket made for
        an app's endpoint has :meth:`AppSupervisor.why_not_answering` instead)."""
        if sock.app is not None:
            return None
        addresses = list(sock.addresses)
        notes = [*self.apps.ended_cleanly(addresses, self.started_at),
                 *self.commands.ended_cleanly(addresses, self.started_at)]
        return "; ".join(notes) or None

    def addresses(self, endpoint: Endpoint) -> set[str]:
        """Every address an endpoint may stand for: as a socket connects to it, and as one binds it."""
        return {self.resolve(endpoint, for_bind=False), self.resolve(endpoint, for_bind=True)}

    # -- ${…} --------------------------------------------------------------------

    def lookup(self, name: str) -> Any:
        """The value of ``${name}``: ``checkpoint.KEY`` (dotted paths reach inside), a value made for
        the spec (``uuid``, ``now``, ``now.epoch``), or ``APP.SETTING``."""
        if name.startswith(CHECKPOINT_NAMES):
            return self.checkpoint.reach(name[len(CHECKPOINT_NAMES):])
        made = MADE_VALUES.get(name)
        if made is not None:
            return made()
        if name.startswith(SOCKET_NAMES):
            return self.sockets.value(name[len(SOCKET_NAMES):])
        if name.startswith(LINK_NAMES):
            return self.links.value(name[len(LINK_NAMES):])
        return self.apps.lookup(name)

    def format_context(self, sock: ProseSocket) -> FormatContext:
        """What a format needs for a socket: the Jupyter key and scheme of its app, the scenario's session."""
        if sock.app is None:
            return FormatContext(session=self.session_id)
        app = self.settings.app_settings(sock.app)
        return FormatContext(key=app.key.encode("utf-8") if app.key else None,
                             signature_scheme=str(app.signature_scheme), session=self.session_id)

    def interpolate(self, value: Any, keep: tuple[str, ...] = ()) -> Any:
        """``value`` with ``${…}`` filled in as text (strings, lists, dicts).

        Names starting with one of ``keep`` stay as they are (``("request.",)`` for a stub's answers).
        """
        return interpolate_all(value, self.lookup, keep)

    def interpolate_frames(self, frames: Sequence[Frame], keep: tuple[str, ...] = ()) -> list[Frame]:
        """Frames with ``${…}`` filled in; what a placeholder brings is data, sent as it came."""
        return interpolate_frames(frames, self.lookup, keep)

    def interpolate_json(self, text: str, keep: tuple[str, ...] = ()) -> str:
        """JSON text with ``${…}`` filled in as JSON (escaped inside strings)."""
        return interpolate_json(text, self.lookup, keep)

    # -- the end ---------------------------------------------------------------

    def keep_stub(self, stub: Stub) -> None:
        """A stub of this scenario: stopped when it ends; a wait for what it receives that times out says which
        one-shot client of the scenario's ended meanwhile (:meth:`ended_peers`)."""
        stub.why_quiet = lambda: self.ended_peers(stub.sock)
        self.stubs.append(stub)

    def new_socket(self, kind: int, type_name: str, name: str | None, label: str) -> ProseSocket:
        """A new socket of ZeroMQ type ``kind`` in the run's context, writing to this scenario's action log."""
        return ProseSocket.make(self.zmq_context, kind, type_name, name, label, self.log)

    def close(self) -> None:
        """Stop background work and commands, and close every socket without lingering (a stub whose thread
        is still busy closes its own socket when it is done)."""
        self.commands.stop_all()
        self.apps.end_scenario()  # its own apps, before its sockets: their last words go nowhere
        self.pipeline.stop()
        for stub in self.stubs:
            stub.stop()
        busy = [sock for sock in self.sockets.all() if sock.lent_to is not None and not sock.lent_to.is_done()]
        if not close_all(sock for sock in self.sockets.all() if sock not in busy):
            self.log.note("ZeroMQ took more than {} s to close the scenario's sockets", GONE_WITHIN)
        for link in self.links.values():
            link.close()
        let_go(busy)  # a busy worker's socket, still open, lets go of what it connected to that nobody bound
        self.allowances.stop()
        for sock in busy:
            self.log.note("{} is still busy as the scenario ends: its worker closes it when it is done", sock.label)
