"""A scenario's parts (:class:`Scenario`): its sockets in the run's ZeroMQ context, links, action log,
checkpoint, default wait and background work (pushers, stubs, commands), and their end.

What the actions ask of them is answered beside it: where a reference points (:mod:`.places`), what
``${…}`` means (:mod:`.values`), whether the scenario's peers live and why a socket is silent (:mod:`.peers`).
"""

from __future__ import annotations

import functools
import time
import uuid

import zmq

from zmqprose.actionlog import ActionLog, RunOptions
from zmqprose.apps.supervisor import AppSupervisor
from zmqprose.checkpoint import Checkpoint
from zmqprose.commands.shell import Commands
from zmqprose.limits import check_wait
from zmqprose.links.table import LinkTable
from zmqprose.pipelines.pipeline import Pipeline
from zmqprose.scenario.peers import Peers
from zmqprose.scenario.places import ScenarioPlaces
from zmqprose.scenario.values import ScenarioValues
from zmqprose.security.curve import Allowances
from zmqprose.sockets.context import before_end, run_context
from zmqprose.sockets.socket import GONE_WITHIN, ProseSocket, close_all, let_go
from zmqprose.sockets.table import SocketTable
from zmqprose.sockets.transfer import Listening
from zmqprose.stubs.stub import Stub
from zmqprose.wire.format_registry import FormatContext


class Scenario:
    """Sockets, default wait, action log, checkpoint, apps and background work of one scenario."""

    def __init__(self, apps: AppSupervisor, timeout: float, options: RunOptions | None = None) -> None:
        self.apps = apps
        self.log = ActionLog(options)  # the run's options: live or not, frames whole or shortened, story kept
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
        self.values = ScenarioValues(self.checkpoint, self.sockets, self.links, apps.lookup)  # what ${…} means
        self.places = ScenarioPlaces(apps, self.sockets, self.links, self.values.lookup)  # where references point
        apps.begin_scenario(self.values.lookup, self.log)  # an app of the scenario's own may refer to its sockets
        self.peers = Peers(apps, self.commands, self.started_at)  # whether they live, why a socket is silent
        self.listening = Listening(self.timeout, self.started_at, self.peers.why_silent, self.format_context)

    @functools.cached_property
    def session_id(self) -> str:
        """The Jupyter session of this scenario's messages: made when a format or an app's check first asks (a
        uuid4 reads the system's randomness, a system call that most scenarios need not make)."""
        return str(uuid.uuid4())

    def format_context(self, sock: ProseSocket) -> FormatContext:
        """What a format needs for a socket: the Jupyter key and scheme of its app, the scenario's session."""
        if sock.app is None:
            return FormatContext(session=self.session_id)
        app = self.apps.settings.app_settings(sock.app)
        return FormatContext(key=app.key.encode("utf-8") if app.key else None,
                             signature_scheme=str(app.signature_scheme), session=self.session_id)

    # -- the end ---------------------------------------------------------------

    def keep_stub(self, stub: Stub) -> None:
        """A stub of this scenario: stopped when it ends; a wait for what it receives that times out says which
        one-shot client of the scenario's ended meanwhile (:meth:`ended_peers`)."""
        stub.why_quiet = lambda: self.peers.ended_peers(stub.sock)
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
